import { existsSync } from 'node:fs';
import { csvHeader, csvLine, type Column } from '../engine/stream/table.js';
import { loadConfig } from '../platform/config.js';
import { localWarehousePath, queryRows, withDatabase } from '../platform/duckdb/database.js';
import { choiceOption, parseOptions, println, type Command } from './command.js';
import { formatTable } from './output.js';

const FORMATS = ['table', 'csv', 'json'] as const;

const QUERY_USAGE = `Usage: chimera query "<SQL>" [--format table|csv|json]
  Runs read-only SQL against the local warehouse, the DuckDB database
  <CHIMERA_DATA_DIR>/warehouse/chimera-warehouse.duckdb that direct_to_bigquery jobs load locally. Tables
  are <dataset>.<tablePrefix><product>, as in BigQuery (default dataset: chimera):

    chimera query "SELECT selection_name, venue, bsp FROM chimera.runners
                   WHERE result = 'WINNER' ORDER BY bsp DESC LIMIT 5"

  --format <f>   table (default), csv (with a header) or json (an array of rows)`;

/** `chimera query "<SQL>"`: the local warehouse, read-only. */
export const queryCommand: Command = {
  name: 'query',
  summary: 'run read-only SQL against the local warehouse (DuckDB)',
  usage: QUERY_USAGE,
  async run(argv, context) {
    const { values, positionals } = parseOptions(argv, { format: { type: 'string' } }, ['SQL']);
    const format = choiceOption(values, 'format', FORMATS, 'table');
    const path = localWarehousePath(loadConfig(context.env).dataDir);
    if (!existsSync(path)) {
      throw new Error(`no local warehouse at ${path} yet: run a direct_to_bigquery job first`);
    }
    const { columns, rows } = await withDatabase(path, { readOnly: true }, (db) =>
      queryRows(db, positionals[0]!),
    ).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (/lock/i.test(message)) {
        throw new Error(`the local warehouse is busy loading a job; try again in a moment`);
      }
      throw new Error(message);
    });
    println(context.io.stdout, render(format, columns, rows).trimEnd());
    return 0;
  },
};

function render(
  format: (typeof FORMATS)[number],
  names: string[],
  rows: Record<string, unknown>[],
): string {
  if (format === 'json') return JSON.stringify(rows, null, 2);
  if (format === 'csv') {
    const columns: Column[] = names.map((name) => ({
      name,
      type: 'STRING',
      nullable: true,
      description: '',
    }));
    return csvHeader(columns) + rows.map((row) => csvLine(columns, row as never)).join('');
  }
  const cells = rows.map((row) => names.map((name) => text(row[name])));
  return `${formatTable(names, cells)}\n(${rows.length} row${rows.length === 1 ? '' : 's'})`;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

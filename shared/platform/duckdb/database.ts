import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { join } from 'node:path';
import type {
  WarehouseColumn,
  WarehouseColumnType,
  WarehouseSourceFormat,
  WarehouseTable,
} from '../ports/warehouse.js';

/**
 * DuckDB's type for each BigQuery column type: the local warehouse and Parquet files hold the
 * same values BigQuery would (TIMESTAMP is an instant, so TIMESTAMPTZ).
 */
export const DUCKDB_TYPES: Record<WarehouseColumnType, string> = {
  STRING: 'VARCHAR',
  INT64: 'BIGINT',
  FLOAT64: 'DOUBLE',
  BOOL: 'BOOLEAN',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMPTZ',
  JSON: 'JSON',
};

/** The local warehouse's database file under the data folder. */
export function localWarehousePath(dataDir: string): string {
  // A dataset is a schema; the file's name, the catalog's, can never be one (datasets have no -).
  return join(dataDir, 'warehouse', 'chimera-warehouse.duckdb');
}

/** A SQL identifier, quoted. */
export function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A SQL string literal. */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** `CREATE TABLE IF NOT EXISTS` for a table: its columns, types and NOT NULLs, in order. */
export function createTableSql(table: WarehouseTable): string {
  const columns = table.columns.map(
    (c) => `${quoted(c.name)} ${DUCKDB_TYPES[c.type]}${c.nullable ? '' : ' NOT NULL'}`,
  );
  return `CREATE TABLE IF NOT EXISTS ${tableName(table)} (${columns.join(', ')})`;
}

/** `"dataset"."table"`: a dataset is a schema of the one database. */
export function tableName(table: Pick<WarehouseTable, 'dataset' | 'table'>): string {
  return `${quoted(table.dataset)}.${quoted(table.table)}`;
}

/**
 * A `SELECT` of files' rows with exactly these columns and types, never guessed: NDJSON and CSV
 * are read with the columns given, Parquet cast to them by name.
 */
export function selectFilesSql(
  paths: readonly string[],
  format: WarehouseSourceFormat,
  columns: readonly WarehouseColumn[],
): string {
  const files = `[${paths.map(literal).join(', ')}]`;
  const struct = `{${columns.map((c) => `${literal(c.name)}: ${literal(DUCKDB_TYPES[c.type])}`).join(', ')}}`;
  if (format === 'parquet') {
    const casts = columns.map(
      (c) => `CAST(${quoted(c.name)} AS ${DUCKDB_TYPES[c.type]}) AS ${quoted(c.name)}`,
    );
    return `SELECT ${casts.join(', ')} FROM read_parquet(${files})`;
  }
  if (format === 'csv') {
    return `SELECT * FROM read_csv(${files}, header = true, auto_detect = false, columns = ${struct})`;
  }
  return `SELECT * FROM read_json(${files}, format = 'newline_delimited', columns = ${struct})`;
}

/** One DuckDB database file, opened for one piece of work and closed after it. */
export async function withDatabase<T>(
  path: string,
  options: { readOnly: boolean },
  work: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const instance = await DuckDBInstance.create(
    path,
    options.readOnly ? { access_mode: 'READ_ONLY' } : {},
  );
  try {
    const connection = await instance.connect();
    try {
      await connection.run(`SET TimeZone = 'UTC'`);
      return await work(connection);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** A query's rows as plain values: BIGINTs as numbers when exact, dates and times as text. */
export async function queryRows(
  connection: DuckDBConnection,
  sql: string,
): Promise<{ columns: string[]; rows: Record<string, unknown>[] }> {
  const reader = await connection.runAndReadAll(sql);
  const rows = reader
    .getRowObjects()
    .map((row) =>
      Object.fromEntries(Object.entries(row).map(([name, value]) => [name, plainValue(value)])),
    );
  return { columns: reader.columnNames(), rows };
}

function plainValue(value: unknown): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  // Dates, times, decimals, lists: DuckDB's value classes print themselves as DuckDB does.
  return (value as { toString(): string }).toString();
}

/** Writes rows of NDJSON files as one Parquet file with exactly these columns and types. */
export async function ndjsonToParquet(
  sources: readonly string[],
  destination: string,
  columns: readonly WarehouseColumn[],
): Promise<void> {
  await withDatabase(':memory:', { readOnly: false }, async (connection) => {
    const select = selectFilesSql(sources, 'ndjson', columns);
    await connection.run(`COPY (${select}) TO ${literal(destination)} (FORMAT parquet)`);
  });
}

import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRODUCT_NAMES, type ProductName } from '../../shared/engine/stream/products.js';
import { DuckDbWarehouse } from '../../shared/local/adapters/warehouse.js';
import { parseJobOptions } from '../../shared/pipeline/parse-options.js';
import { productTable } from '../../shared/pipeline/warehouse-load.js';
import { tableResource } from '../../shared/platform/cloud/bigquery-warehouse.js';
import {
  DUCKDB_TYPES,
  localWarehousePath,
  queryRows,
  withDatabase,
} from '../../shared/platform/duckdb/database.js';
import type { WarehouseColumnType, WarehouseTable } from '../../shared/platform/ports/warehouse.js';

/** DuckDB's information_schema type names, back to the BigQuery type they stand for. */
const BIGQUERY_TYPE_OF: Record<string, WarehouseColumnType> = Object.fromEntries(
  Object.entries(DUCKDB_TYPES).map(([bigQuery, duckDb]) => [
    duckDb === 'TIMESTAMPTZ' ? 'TIMESTAMP WITH TIME ZONE' : duckDb,
    bigQuery as WarehouseColumnType,
  ]),
);

const WAREHOUSE = { dataset: 'chimera', location: 'EU', tablePrefix: 't_' };
const CASES: [ProductName, number][] = [
  ...PRODUCT_NAMES.map((product): [ProductName, number] => [product, 3]),
  ['snapshots', 1],
  ['snapshots', 10],
];

/**
 * The local warehouse and BigQuery hold the same tables: both are derived from each product's
 * one column list, so what DuckDB creates reads back as the BigQuery schema the load job gives.
 */
/** Creates `table` empty in a fresh local warehouse (a load of no files) and reads its columns. */
async function createdColumns(table: WarehouseTable) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chimera-wh-'));
  const warehouse = new DuckDbWarehouse(dataDir);
  await warehouse.ensureDataset(table.dataset);
  const { tableRows } = await warehouse.load({
    loadId: 'create',
    location: 'EU',
    table,
    bucket: 'none',
    sources: [],
    format: 'ndjson',
    replaceKey: 'market_id',
  });
  const { rows } = await withDatabase(localWarehousePath(dataDir), { readOnly: true }, (db) =>
    queryRows(
      db,
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns ` +
        `WHERE table_schema = '${table.dataset}' AND table_name = '${table.table}' ` +
        `ORDER BY ordinal_position`,
    ),
  );
  return { tableRows, rows };
}

describe('warehouse tables, from the products’ one definition', () => {
  it.each(CASES)(
    '%s (depth %i): DuckDB creates the columns, types and modes BigQuery is given',
    async (product, depth) => {
      const parse = parseJobOptions({ products: [product], ladderDepth: depth });
      const table = {
        ...productTable(WAREHOUSE, product, parse),
        table: `${product}_${depth}`,
      };
      const { tableRows, rows } = await createdColumns(table);
      expect(tableRows).toBe(0);
      const fromDuckDb = rows.map((r) => ({
        name: r.column_name,
        type: BIGQUERY_TYPE_OF[String(r.data_type)],
        mode: r.is_nullable === 'YES' ? 'NULLABLE' : 'REQUIRED',
      }));
      const bigQuery = tableResource(table).schema.fields.map(({ name, type, mode }) => ({
        name,
        type,
        mode,
      }));
      expect(fromDuckDb.length).toBeGreaterThan(5);
      expect(fromDuckDb).toEqual(bigQuery);
    },
  );

  it('stream: the raw lines, their JSON whole, read back as the BigQuery schema too', async () => {
    const table = productTable(
      WAREHOUSE,
      'stream',
      parseJobOptions({ warehouse: { stream: true } }),
    );
    const { rows } = await createdColumns(table);
    expect(rows.map((r) => [r.column_name, BIGQUERY_TYPE_OF[String(r.data_type)]])).toEqual(
      tableResource(table).schema.fields.map((f) => [f.name, f.type]),
    );
    expect(table).toMatchObject({ partitionBy: 'publish_time', clusterBy: ['market_id'] });
    expect(rows.find((r) => r.column_name === 'line')?.data_type).toBe('JSON');
  });

  it.each(PRODUCT_NAMES)(
    '%s is partitioned by a day column and clustered by a market id it always has',
    (product) => {
      const table = productTable(WAREHOUSE, product, parseJobOptions({ products: [product] }));
      expect(table.table).toBe(`t_${product}`);
      const partition = table.columns.find((c) => c.name === table.partitionBy);
      expect(['DATE', 'TIMESTAMP']).toContain(partition?.type);
      expect(table.clusterBy).toEqual(['market_id']);
      expect(table.columns.find((c) => c.name === 'market_id')).toMatchObject({
        type: 'STRING',
        nullable: false,
      });
    },
  );
});

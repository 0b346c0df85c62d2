import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import pLimit from 'p-limit';
import {
  createTableSql,
  localWarehousePath,
  queryRows,
  quoted,
  selectFilesSql,
  tableName,
  withDatabase,
} from '../../platform/duckdb/database.js';
import type {
  Warehouse,
  WarehouseLoad,
  WarehouseLoadResult,
} from '../../platform/ports/warehouse.js';
import { LocalLayout } from './object-files.js';

/**
 * BigQuery's stand-in: one DuckDB database, `<data dir>/warehouse/chimera-warehouse.duckdb`, a schema per
 * dataset, loading the shards straight from the bucket folders. The database is opened for each
 * load and closed after it, so `chimera query` can open it read-only in between; loads in this
 * process run one at a time. Partitioning and clustering have no DuckDB counterpart.
 */
export class DuckDbWarehouse implements Warehouse {
  private readonly layout: LocalLayout;
  private readonly path: string;
  private readonly oneAtATime = pLimit(1);

  constructor(dataDir: string) {
    this.layout = new LocalLayout(dataDir);
    this.path = localWarehousePath(dataDir);
  }

  ensureDataset(dataset: string): Promise<void> {
    return this.oneAtATime(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      await withDatabase(this.path, { readOnly: false }, async (db) => {
        await db.run(`CREATE SCHEMA IF NOT EXISTS ${quoted(dataset)}`);
      });
    });
  }

  load(load: WarehouseLoad): Promise<WarehouseLoadResult> {
    return this.oneAtATime(() =>
      withDatabase(this.path, { readOnly: false }, async (db) => {
        const target = tableName(load.table);
        const key = quoted(load.replaceKey);
        const paths = load.sources.map((name) => this.layout.objectPath(load.bucket, name));
        await db.run(createTableSql(load.table));
        if (paths.length === 0)
          return { rowsLoaded: 0, tableRows: await count(db, target), errors: [] };
        const stage = quoted(`stage_${load.loadId}`);
        try {
          await db.run('BEGIN TRANSACTION');
          await db.run(
            `CREATE TEMP TABLE ${stage} AS ${selectFilesSql(paths, load.format, load.table.columns)}`,
          );
          await db.run(`DELETE FROM ${target} WHERE ${key} IN (SELECT ${key} FROM ${stage})`);
          await db.run(`INSERT INTO ${target} SELECT * FROM ${stage}`);
          const loaded = await count(db, stage);
          await db.run(`DROP TABLE ${stage}`);
          await db.run('COMMIT');
          return { rowsLoaded: loaded, tableRows: await count(db, target), errors: [] };
        } catch (error) {
          await db.run('ROLLBACK');
          const errors = [(error as Error).message];
          return { rowsLoaded: 0, tableRows: await count(db, target), errors };
        }
      }),
    );
  }
}

async function count(db: DuckDBConnection, table: string): Promise<number> {
  const { rows } = await queryRows(db, `SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]?.n ?? 0);
}

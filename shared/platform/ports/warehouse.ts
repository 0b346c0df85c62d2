/**
 * The warehouse port: BigQuery in the cloud, an embedded DuckDB database locally. Tables are
 * loaded whole from files already in the object store (load jobs, never streaming inserts).
 */

/** BigQuery's names for the column types a warehouse table may have. */
export type WarehouseColumnType =
  'STRING' | 'INT64' | 'FLOAT64' | 'BOOL' | 'DATE' | 'TIMESTAMP' | 'JSON';

/** One column, as the products define it. */
export interface WarehouseColumn {
  readonly name: string;
  readonly type: WarehouseColumnType;
  readonly nullable: boolean;
  readonly description: string;
}

/** A table: where it lives, its columns, and how it is partitioned and clustered. */
export interface WarehouseTable {
  dataset: string;
  table: string;
  columns: readonly WarehouseColumn[];
  /** A DATE or TIMESTAMP column: one partition per day of it. */
  partitionBy: string;
  clusterBy: readonly string[];
}

/** The file formats a table loads from. */
export const WAREHOUSE_SOURCE_FORMATS = ['ndjson', 'csv', 'parquet'] as const;
export type WarehouseSourceFormat = (typeof WAREHOUSE_SOURCE_FORMATS)[number];

/**
 * One load: files → a staging table (replaced whole), then, in one transaction, the target's
 * rows whose `replaceKey` occurs in the staging table deleted and the staging rows inserted.
 * Run twice, it leaves the same rows: the key's rows are replaced, never added to.
 */
export interface WarehouseLoad {
  /** Deterministic per job and table: the same load asked again is the same load. */
  loadId: string;
  location: string;
  table: WarehouseTable;
  bucket: string;
  /** Object names in `bucket`; a CSV file starts with one header line. */
  sources: readonly string[];
  format: WarehouseSourceFormat;
  replaceKey: string;
}

/** What a load did: the rows it brought, the target's rows after it, and the rows refused. */
export interface WarehouseLoadResult {
  rowsLoaded: number;
  tableRows: number;
  /** Problems the warehouse reported with the files (bad rows, wrong types); empty when loaded. */
  errors: string[];
}

export interface Warehouse {
  /** Creates the dataset in `location` when absent; an existing one must be in that location. */
  ensureDataset(dataset: string, location: string): Promise<void>;
  /** Runs one load; rejects with an `unavailable` AppError when the service is down. */
  load(load: WarehouseLoad): Promise<WarehouseLoadResult>;
}

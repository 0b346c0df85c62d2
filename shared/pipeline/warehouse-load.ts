import { Readable } from 'node:stream';
import { AppError, toAppError } from '../platform/errors.js';
import type { Logger } from '../platform/logging.js';
import type { ObjectStore } from '../platform/ports/object-store.js';
import type {
  Warehouse,
  WarehouseLoadResult,
  WarehouseTable,
} from '../platform/ports/warehouse.js';
import { deleteParts } from './finalize.js';
import type { JobRecord } from './job-model.js';
import { loadErrorsName, productShardName } from './output-names.js';
import {
  parseJobOptions,
  tableColumns,
  tablesOf,
  type ParseJobOptions,
  type TableName,
} from './parse-options.js';
import { FINAL_JOB_STATUSES, type JobStore } from './stores.js';
import type { LoadReport, TableLoad, WarehouseOptions } from './warehouse-options.js';

/**
 * Each table's day partitions: the UTC day of the event (`event_date`), or of the timestamp
 * that stands for it in tables without that column.
 */
export const PARTITION_COLUMNS: Record<TableName, string> = {
  runners: 'event_date',
  markets: 'event_date',
  snapshots: 'market_time',
  bars: 'bar_start',
  stream: 'publish_time',
};

/** Every table is clustered by market, and a load replaces the rows of the markets it brings. */
export const MARKET_KEY = 'market_id';

/** A product's warehouse table: `<dataset>.<tablePrefix><product>`, from its one column list. */
export function productTable(
  options: WarehouseOptions,
  product: TableName,
  parse: ParseJobOptions,
): WarehouseTable {
  return {
    dataset: options.dataset,
    table: `${options.tablePrefix}${product}`,
    columns: tableColumns(product, parse),
    partitionBy: PARTITION_COLUMNS[product],
    clusterBy: [MARKET_KEY],
  };
}

/** The load's id: one per job and product, so a repeated step is the same load. */
export function loadIdOf(jobId: string, product: TableName): string {
  return `chimera-load-${jobId}-${product}`;
}

/** What the load step needs. */
export interface LoadDeps {
  jobStore: JobStore;
  objectStore: ObjectStore;
  warehouse: Warehouse;
  logger: Logger;
  now: () => Date;
}

/**
 * The load stage of a direct_to_bigquery job, after finalize: each product's shards are loaded
 * into its table (a load job from the object store, then the rows of the markets it brings
 * replaced in one transaction), the outcome written to `_LOAD_ERRORS.json` beside the shards and
 * to the job, which ends completed, or failed when a table could not be loaded. Safe to repeat:
 * an ended job is returned as it is; a repeated load replaces the same markets' rows with the
 * same rows. An outage is thrown (the workflow retries the step); any other failure is the
 * product's load error.
 */
export async function loadJobTables(deps: LoadDeps, jobId: string): Promise<JobRecord> {
  const job = await deps.jobStore.get(jobId);
  if (job.processType !== 'direct_to_bigquery' || FINAL_JOB_STATUSES.includes(job.status)) {
    return job;
  }
  if (job.stages.load !== 'in_progress') {
    throw new AppError(
      'JOB.NOT_COMPLETE',
      'conflict',
      `Job ${jobId} cannot be loaded yet: finalize it first`,
    );
  }
  const options = job.warehouse!;
  const parse = job.parse ?? parseJobOptions({});
  const datasetError = await ensureDataset(deps.warehouse, options);
  const tables: TableLoad[] = [];
  for (const product of tablesOf(parse)) {
    tables.push(await loadProduct(deps, job, product, datasetError));
  }
  const report: LoadReport = { dataset: options.dataset, location: options.location, tables };
  const reportName = await writeLoadErrors(deps.objectStore, job, report);
  const failed = tables.filter((t) => t.state === 'failed').map((t) => t.product);
  const { job: final } = await deps.jobStore.changeStatus(jobId, {
    status: failed.length > 0 ? 'failed' : 'completed',
    completedAt: deps.now(),
    stages: { load: failed.length > 0 ? 'failed' : 'completed' },
    load: report,
    outputFiles: [...job.outputFiles.filter((name) => name !== reportName), reportName],
    errorMessage:
      failed.length > 0
        ? `Loading into ${options.dataset} failed for ${failed.join(', ')}; see _LOAD_ERRORS.json`
        : job.errorMessage,
  });
  await deps.jobStore.log(jobId, 'zzz-loaded', {
    time: deps.now(),
    severity: failed.length > 0 ? 'ERROR' : 'INFO',
    message: `Pipeline ${final.status}: ${tables.map((t) => `${t.table} ${t.state} (${t.rowsLoaded} rows, ${t.tableRows} in the table)`).join(', ')}`,
  });
  // A redelivered file may have rewritten its parts after finalize removed them.
  await deleteParts(deps.objectStore, job);
  deps.logger.info('job loaded', { jobId, status: final.status, tables: tables.length });
  return final;
}

/** Creates the dataset when absent; a refusal (not an outage) fails every table with it. */
async function ensureDataset(
  warehouse: Warehouse,
  options: WarehouseOptions,
): Promise<string | undefined> {
  try {
    await warehouse.ensureDataset(options.dataset, options.location);
    return undefined;
  } catch (thrown) {
    const error = toAppError(thrown);
    if (error.kind === 'unavailable') throw error;
    return error.message;
  }
}

async function loadProduct(
  deps: LoadDeps,
  job: JobRecord,
  product: TableName,
  datasetError: string | undefined,
): Promise<TableLoad> {
  const table = productTable(job.warehouse!, product, job.parse ?? parseJobOptions({}));
  const loadId = loadIdOf(job.jobId, product);
  const format = job.parse?.format ?? 'ndjson';
  let result: WarehouseLoadResult;
  if (datasetError !== undefined) {
    result = { rowsLoaded: 0, tableRows: 0, errors: [datasetError] };
  } else {
    try {
      result = await deps.warehouse.load({
        loadId,
        location: job.warehouse!.location,
        table,
        bucket: job.targetBucket,
        sources: Array.from({ length: job.outputShards }, (_, n) =>
          productShardName(job.outputPrefix, product, n, job.outputShards, format),
        ),
        format,
        replaceKey: MARKET_KEY,
      });
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.kind === 'unavailable') throw error;
      result = { rowsLoaded: 0, tableRows: 0, errors: [error.message] };
    }
  }
  return {
    product,
    table: `${table.dataset}.${table.table}`,
    loadId,
    state: result.errors.length > 0 ? 'failed' : 'loaded',
    ...result,
  };
}

/** `_LOAD_ERRORS.json`: every table with its errors (none when it loaded), beside the shards. */
async function writeLoadErrors(
  store: ObjectStore,
  job: JobRecord,
  report: LoadReport,
): Promise<string> {
  const name = loadErrorsName(job.outputPrefix);
  const body = {
    jobId: job.jobId,
    dataset: report.dataset,
    location: report.location,
    tables: report.tables.map(({ product, table, loadId, state, errors }) => ({
      product,
      table,
      loadId,
      state,
      errors,
    })),
  };
  await store.write(job.targetBucket, name, Readable.from([JSON.stringify(body, null, 1)]), {
    contentType: 'application/json',
  });
  return name;
}

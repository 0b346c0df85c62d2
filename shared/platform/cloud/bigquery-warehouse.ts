import { BigQuery, type Job, type JobOptions } from '@google-cloud/bigquery';
import { AppError } from '../errors.js';
import type {
  Warehouse,
  WarehouseLoad,
  WarehouseLoadResult,
  WarehouseSourceFormat,
  WarehouseTable,
} from '../ports/warehouse.js';

const SOURCE_FORMATS: Record<WarehouseSourceFormat, string> = {
  ndjson: 'NEWLINE_DELIMITED_JSON',
  csv: 'CSV',
  parquet: 'PARQUET',
};

/** The BigQuery JSON schema of a table: never autodetected. */
function schemaOf(table: WarehouseTable) {
  return {
    fields: table.columns.map(({ name, type, nullable, description }) => ({
      name,
      type,
      mode: nullable ? 'NULLABLE' : 'REQUIRED',
      description,
    })),
  };
}

/** The target table's resource: schema, one partition per day of `partitionBy`, clustering. */
export function tableResource(table: WarehouseTable) {
  return {
    schema: schemaOf(table),
    timePartitioning: { type: 'DAY', field: table.partitionBy },
    clustering: { fields: [...table.clusterBy] },
  };
}

/** The staging table a load fills before its rows replace the target's. */
export function stagingTable(load: WarehouseLoad): string {
  return `_stage_${load.table.table}_${load.loadId.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/**
 * The load job: the shards from Cloud Storage into the staging table, replaced whole
 * (WRITE_TRUNCATE), with the table's schema, partitioning and clustering given, under the
 * load's deterministic job id.
 */
export function loadJobOptions(projectId: string, load: WarehouseLoad): JobOptions {
  return {
    jobId: load.loadId,
    location: load.location,
    configuration: {
      load: {
        destinationTable: {
          projectId,
          datasetId: load.table.dataset,
          tableId: stagingTable(load),
        },
        sourceUris: load.sources.map((name) => `gs://${load.bucket}/${name}`),
        sourceFormat: SOURCE_FORMATS[load.format],
        schema: schemaOf(load.table),
        autodetect: false,
        timePartitioning: { type: 'DAY', field: load.table.partitionBy },
        clustering: { fields: [...load.table.clusterBy] },
        writeDisposition: 'WRITE_TRUNCATE',
        createDisposition: 'CREATE_IF_NEEDED',
        ...(load.format === 'csv' ? { skipLeadingRows: 1 } : {}),
        ...(load.format === 'parquet' ? {} : { maxBadRecords: 0 }),
      },
    },
  };
}

/**
 * The query job that moves the staging rows into the target in one transaction: the target's
 * rows with a key the staging table holds are deleted and the staging rows inserted, then the
 * staging table is dropped. Its job id derives from the load's.
 */
export function replaceJobOptions(projectId: string, load: WarehouseLoad): JobOptions {
  const dataset = `\`${projectId}.${load.table.dataset}`;
  const target = `${dataset}.${load.table.table}\``;
  const stage = `${dataset}.${stagingTable(load)}\``;
  const key = `\`${load.replaceKey}\``;
  const columns = load.table.columns.map((c) => `\`${c.name}\``).join(', ');
  return {
    jobId: `${load.loadId}-replace`,
    location: load.location,
    configuration: {
      query: {
        useLegacySql: false,
        query: [
          'BEGIN TRANSACTION;',
          `DELETE FROM ${target} WHERE ${key} IN (SELECT ${key} FROM ${stage});`,
          `INSERT INTO ${target} (${columns}) SELECT ${columns} FROM ${stage};`,
          'COMMIT TRANSACTION;',
          `DROP TABLE ${stage};`,
        ].join('\n'),
      },
    },
  };
}

/**
 * BigQuery through its client: load jobs from Cloud Storage and one query job per load, each
 * under a deterministic id, so a repeated step finds the job it started before (409) and waits
 * for it instead of loading twice (see runJob).
 */
export class BigQueryWarehouse implements Warehouse {
  private readonly client: BigQuery;

  constructor(private readonly projectId: string) {
    this.client = new BigQuery({ projectId });
  }

  async ensureDataset(dataset: string, location: string): Promise<void> {
    const handle = this.client.dataset(dataset, { location });
    const [exists] = await call(() => handle.exists());
    if (!exists) {
      await call(() => handle.create({ location })).catch((error: unknown) => {
        if (!(error instanceof AppError && error.code === 'WAREHOUSE.ALREADY_EXISTS')) throw error;
      });
      return;
    }
    const [metadata] = (await call(() => handle.getMetadata())) as [{ location?: string }, unknown];
    if (metadata.location && metadata.location.toLowerCase() !== location.toLowerCase()) {
      throw new AppError(
        'WAREHOUSE.LOCATION_MISMATCH',
        'invalid',
        `Dataset ${dataset} is in ${metadata.location}, not ${location}; ask for ${metadata.location} or another dataset`,
      );
    }
  }

  async load(load: WarehouseLoad): Promise<WarehouseLoadResult> {
    const table = this.client.dataset(load.table.dataset).table(load.table.table);
    const [exists] = await call(() => table.exists());
    if (!exists) {
      await call(() => table.create(tableResource(load.table))).catch((error: unknown) => {
        if (!(error instanceof AppError && error.code === 'WAREHOUSE.ALREADY_EXISTS')) throw error;
      });
    }
    const loaded = await runJob(this.client, loadJobOptions(this.projectId, load));
    if (loaded.errors.length > 0) return { rowsLoaded: 0, tableRows: 0, errors: loaded.errors };
    const replaced = await runJob(this.client, replaceJobOptions(this.projectId, load));
    const [metadata] = (await call(() => table.getMetadata())) as [{ numRows?: string }, unknown];
    const rowsLoaded = Number(loaded.statistics?.load?.outputRows ?? 0);
    return { rowsLoaded, tableRows: Number(metadata.numRows ?? 0), errors: replaced.errors };
  }
}

/** The part of the BigQuery client that running a job uses. */
export type JobClient = Pick<BigQuery, 'createJob' | 'job'>;

/** What a finished job says: its errors (none when it succeeded) and its statistics. */
export interface JobOutcome {
  errors: string[];
  statistics: { load?: { outputRows?: string } } | undefined;
}

/** Jobs one step may start under its id, one after each failed attempt an earlier run left. */
export const MAX_JOB_ATTEMPTS = 5;

/** The id of a step's n-th job: the first keeps the step's id. */
export function attemptJobId(jobId: string, attempt: number): string {
  return attempt === 1 ? jobId : `${jobId}-retry${attempt}`;
}

/**
 * Starts the step's job, or finds the one an earlier run started under its id (409), and waits
 * for its end. A job found failed is run again under the next attempt's id, so a retried step
 * is not stuck on an old failure; one found running or succeeded is used as it is, so a
 * retried step never loads twice. A job this run started stands, failed or not: its errors are
 * the step's answer.
 */
export async function runJob(client: JobClient, options: JobOptions): Promise<JobOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    const jobId = attemptJobId(options.jobId!, attempt);
    let job: Job;
    let startedNow = true;
    try {
      [job] = await call(() => client.createJob({ ...options, jobId }));
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'WAREHOUSE.ALREADY_EXISTS')) throw error;
      job = client.job(jobId, { location: options.location });
      startedNow = false;
    }
    const outcome = await outcomeOf(job);
    if (startedNow || outcome.errors.length === 0 || attempt >= MAX_JOB_ATTEMPTS) return outcome;
  }
}

async function outcomeOf(job: Job): Promise<JobOutcome> {
  await job.promise().catch(() => undefined);
  const [metadata] = (await call(() => job.getMetadata())) as [
    { status?: unknown; statistics?: unknown },
    unknown,
  ];
  const status = metadata.status as
    | { errors?: { message?: string; location?: string }[]; errorResult?: { message?: string } }
    | undefined;
  const errors = (status?.errors ?? []).map((e) =>
    e.location ? `${e.location}: ${e.message}` : String(e.message),
  );
  if (errors.length === 0 && status?.errorResult) errors.push(String(status.errorResult.message));
  return { errors, statistics: metadata.statistics as JobOutcome['statistics'] };
}

/** A BigQuery client failure as an AppError: 409 exists, 408/429/5xx/network unavailable. */
async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw mapBigQueryError(error);
  }
}

export function mapBigQueryError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 409) {
    return new AppError('WAREHOUSE.ALREADY_EXISTS', 'conflict', message, { cause: error });
  }
  if (code === 400 || code === 403 || code === 404) {
    return new AppError('WAREHOUSE.FAILED', 'invalid', `BigQuery answered ${code}: ${message}`, {
      cause: error,
    });
  }
  return new AppError('WAREHOUSE.UNAVAILABLE', 'unavailable', `BigQuery: ${message}`, {
    cause: error,
  });
}

import pLimit from 'p-limit';
import { Readable } from 'node:stream';
import { AppError } from '../platform/errors.js';
import type { Logger } from '../platform/logging.js';
import type { ObjectStore } from '../platform/ports/object-store.js';
import {
  allStages,
  parsesFiles,
  progressOf,
  type FileStatus,
  type JobProgress,
  type JobRecord,
} from './job-model.js';
import { failuresName, manifestName, partName, shardName } from './output-names.js';
import { composeProductShards } from './product-shards.js';
import { planShards } from './plan.js';
import { filesDone } from './status/progress-rules.js';
import {
  type FileStatusStore,
  FINAL_JOB_STATUSES,
  type JobStore,
  processedKey,
  type ProcessedIndex,
} from './stores.js';
import { type JobProgressSnapshot, progressSnapshot } from './workflow-steps.js';

/** `_FAILURES.csv` as Google's Bulk Decompress template writes it: `file,error`, one row per failed file. */
export function failuresCsv(bucket: string, failed: readonly FileStatus[]): string {
  const rows = failed.map(
    (f) =>
      `${csvField(`gs://${bucket}/${f.source.name}`)},${csvField(f.error?.message ?? 'unknown error')}`,
  );
  return ['file,error', ...rows].join('\n') + '\n';
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Where one source file's lines ended up. */
export interface ManifestFile {
  source: string;
  generation: string;
  output: string;
  /** Byte offset of the file's lines inside `output`. */
  offset: number;
  bytes: number;
  lines: number;
  quarantinedLines: number;
  quarantine?: string;
}

/** `_MANIFEST.json`: source object + generation → output object, offset, lines and bytes. */
export interface JobManifest {
  jobId: string;
  sourceBucket: string;
  targetBucket: string;
  shards: string[];
  files: ManifestFile[];
  failed: { source: string; generation: string; code: string; error: string }[];
}

/** What finalizing a job needs; `recordProgress` stores the job's final totals. */
export interface FinalizeDeps {
  objectStore: ObjectStore;
  jobStore: JobStore;
  statusStore: FileStatusStore;
  processedIndex: ProcessedIndex;
  recordProgress: (jobId: string, totals: JobProgress) => Promise<void>;
  logger: Logger;
  now: () => Date;
}

/**
 * Ends a job whose files are all terminal: composes the parts into shards in source-path order,
 * writes `_FAILURES.csv` and `_MANIFEST.json`, records the processed sources, sets the final
 * status and removes the parts. Refused with JOB.NOT_COMPLETE, changing nothing, while the
 * stored file statuses show a planned file unfinished. Safe to run twice: a job that already
 * ended is returned as it is, with only leftover parts cleaned. A direct_to_bigquery job stays
 * running with its `load` stage in progress: the load step ends it.
 */
export async function finalizeJob(deps: FinalizeDeps, jobId: string): Promise<JobRecord> {
  const job = await deps.jobStore.get(jobId);
  if (FINAL_JOB_STATUSES.includes(job.status) || awaitsLoad(job)) {
    await deleteParts(deps.objectStore, job);
    return job;
  }
  // One pass over the job's files (in plan order) tells whether they are all terminal and
  // gives the final totals: once they are, nothing changes them any more.
  const statuses = await collect(deps.statusStore.list(jobId));
  const totals = progressOf(statuses, deps.now());
  const running = statuses.filter((f) => f.state === 'running').length;
  assertComplete(jobId, progressSnapshot(job, { terminal: filesDone(totals), running }));
  await deps.recordProgress(jobId, totals);
  await deps.jobStore.changeStatus(jobId, {
    status: 'running',
    stages: { concatenate: 'in_progress' },
  });
  const succeeded = statuses.filter((f) => f.state === 'succeeded');
  const failed = statuses.filter((f) => f.state === 'failed');
  const { shards, files } =
    job.processType === 'decompress_and_concatenate'
      ? await composeShards(deps.objectStore, job, succeeded)
      : parsesFiles(job.processType)
        ? await productShards(deps.objectStore, job, succeeded)
        : { shards: [], files: succeeded.map((f) => manifestFile(f, f.result!.output, 0)) };
  const [reports] = await Promise.all([
    writeReports(deps.objectStore, job, shards, files, failed),
    deps.processedIndex.add(succeeded.map((f) => processedKey(targetOf(job), f.source))),
  ]);
  // A job whose files were all left out by its filters did what it was asked.
  const failedAll = succeeded.length === 0 && failed.length > 0;
  const toLoad = job.processType === 'direct_to_bigquery' && !failedAll;
  const { job: final } = await deps.jobStore.changeStatus(jobId, {
    status: toLoad ? 'running' : failedAll ? 'failed' : 'completed',
    errorMessage: failureMessage(succeeded.length, failed.length),
    completedAt: toLoad ? null : deps.now(),
    outputFiles: [...shards, ...reports],
    stages: {
      ...allStages('completed'),
      ...(job.stages.load ? { load: toLoad ? 'in_progress' : 'failed' } : {}),
    },
  });
  await deps.jobStore.log(jobId, 'zzz-finalized', {
    time: deps.now(),
    severity: failed.length > 0 ? 'WARNING' : 'INFO',
    message: `Pipeline ${toLoad ? 'finalized, loading' : final.status}: ${succeeded.length} files written to ${shards.length || succeeded.length} objects, ${failed.length} failed`,
  });
  await deleteParts(deps.objectStore, job);
  deps.logger.info('job finalized', {
    jobId,
    status: final.status,
    succeeded: succeeded.length,
    failed: failed.length,
  });
  return final;
}

/** A direct_to_bigquery job finalized already, its tables not yet loaded. */
export function awaitsLoad(job: JobRecord): boolean {
  return job.stages.load === 'in_progress' || job.stages.load === 'failed';
}

/** Finalizing reads every part, so it waits for every planned file to reach a terminal state. */
function assertComplete(jobId: string, standing: JobProgressSnapshot): void {
  if (standing.done) return;
  const unfinished = standing.total - standing.terminal;
  throw new AppError(
    'JOB.NOT_COMPLETE',
    'conflict',
    `Job ${jobId} cannot be finalized yet: ${unfinished} of ${standing.total} files are not ` +
      `finished (${standing.running} running). Finalize once every file has succeeded, failed, ` +
      `been skipped or cancelled, or cancel the job first.`,
  );
}

async function productShards(store: ObjectStore, job: JobRecord, succeeded: FileStatus[]) {
  const { shards, placed } = await composeProductShards(store, job, succeeded);
  const files = placed.map((p) => ({
    ...manifestFile(p.file, p.output, p.offset),
    bytes: p.bytes,
    lines: p.lines,
  }));
  return { shards, files };
}

async function composeShards(store: ObjectStore, job: JobRecord, succeeded: FileStatus[]) {
  const groups = planShards(
    succeeded.map((f) => f.result!.bytesOut),
    job.outputShards,
  );
  const shards = groups.map((_, n) =>
    shardName(job.outputPrefix, n, job.outputShards, job.compression),
  );
  const limit = pLimit(SHARDS_AT_ONCE);
  await Promise.all(
    groups.map((group, n) =>
      limit(() =>
        group.length === 0
          ? store.write(job.targetBucket, shards[n]!, Readable.from([]))
          : store.compose(
              job.targetBucket,
              group.map((i) => succeeded[i]!.result!.output),
              shards[n]!,
            ),
      ),
    ),
  );
  const files = groups.flatMap((group, n) => {
    let offset = 0;
    return group.map((i) => {
      const part = succeeded[i]!;
      const file = manifestFile(part, shards[n]!, offset);
      offset += part.result!.bytesOut;
      return file;
    });
  });
  return { shards, files };
}

/** Shards are independent objects: composing a few at once overlaps their reads and writes. */
const SHARDS_AT_ONCE = 4;

async function writeReports(
  store: ObjectStore,
  job: JobRecord,
  shards: string[],
  files: ManifestFile[],
  failed: FileStatus[],
): Promise<string[]> {
  const failures = failuresName(job.outputPrefix);
  const manifestObject = manifestName(job.outputPrefix);
  const manifest: JobManifest = {
    jobId: job.jobId,
    sourceBucket: job.sourceBucket,
    targetBucket: job.targetBucket,
    shards,
    files,
    failed: failed.map((f) => ({
      source: f.source.name,
      generation: f.source.generation,
      code: f.error?.code ?? 'UNKNOWN',
      error: f.error?.message ?? 'unknown error',
    })),
  };
  await store.write(
    job.targetBucket,
    failures,
    Readable.from([failuresCsv(job.sourceBucket, failed)]),
    {
      contentType: 'text/csv',
    },
  );
  await store.write(
    job.targetBucket,
    manifestObject,
    Readable.from([JSON.stringify(manifest, null, 1)]),
    {
      contentType: 'application/json',
    },
  );
  return [failures, manifestObject];
}

function manifestFile(file: FileStatus, output: string, offset: number): ManifestFile {
  const result = file.result!;
  return {
    source: file.source.name,
    generation: file.source.generation,
    output,
    offset,
    bytes: result.bytesOut,
    lines: result.lines,
    quarantinedLines: result.quarantinedLines,
    quarantine: result.quarantine,
  };
}

/** Parts live under one folder per job, so cleaning up never needs the file list. */
export async function deleteParts(store: ObjectStore, job: JobRecord): Promise<void> {
  const prefix = partName(job.outputPrefix, job.jobId, 0, job.compression).replace(/[^/]+$/, '');
  await store.deletePrefix(job.targetBucket, prefix);
}

function failureMessage(succeeded: number, failed: number): string | null {
  if (failed === 0) return null;
  if (succeeded === 0) return `All ${failed} files failed; see _FAILURES.csv`;
  return `${failed} of ${succeeded + failed} files failed; see _FAILURES.csv`;
}

function targetOf(job: JobRecord) {
  return {
    bucket: job.targetBucket,
    prefix: job.outputPrefix,
    processType: job.processType,
    compression: job.compression,
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

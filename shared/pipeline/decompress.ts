import { z } from 'zod';
import { INVALID_LINE_POLICIES } from '../engine/lines/lines.js';
import { decodeBzip2 } from '../engine/bz2/decode-bzip2.js';
import { createBzip2WorkerPool } from '../engine/bz2/worker-pool.js';
import { bucketWriter, decodeObject } from '../engine/decode-object.js';
import type { PluginRegistry, SourcePlugin } from '../engine/plugins/plugins.js';
import { createSourcePlugins } from '../engine/plugins/source-plugins.js';
import { toAppError } from '../platform/errors.js';
import {
  type IncomingEvent,
  parseEvent,
  pubsubJson,
  runEvent,
  shouldRedeliver,
} from '../platform/events.js';
import { MAX_FILES_PER_MESSAGE } from '../platform/config.js';
import type { Logger } from '../platform/logging.js';
import type { Platform } from '../platform/platform.js';
import type { ObjectStore } from '../platform/ports/object-store.js';
import { FirestoreFileStatusStore } from './firestore/file-status-store.js';
import { FirestoreJobStore } from './firestore/job-store.js';
import {
  SUPPORTED_OUTPUT_COMPRESSIONS,
  SUPPORTED_PROCESS_TYPES,
  fileIdOf,
  jobIdSchema,
  parsesFiles,
  type FileResult,
  type FileState,
} from './job-model.js';
import { isJobFailedNotice, jobFailedNoticeSchema, recordJobFailure } from './job-workflow.js';
import { mirroredName, partName, quarantineName } from './output-names.js';
import {
  fileFiltersSchema,
  filterMismatch,
  firstMarket,
  watchingPlugin,
  type FirstMarket,
} from './file-filters.js';
import { indexedMarket, type IndexedMarket } from './market-index.js';
import { parseJobOptions, parseMessageSchema } from './parse-options.js';
import { parseToParts } from './parse-parts.js';
import {
  FINAL_JOB_STATUSES,
  type FileOutcome,
  type FileStatusStore,
  type FinishedFile,
  type JobStore,
  type WorkOrderKey,
} from './stores.js';

const objectName = z.string().min(1).max(1024);

/** The log message of a file recorded failed for good; the failed-files metric counts it. */
export const FILE_FAILED = 'file failed';

const sourceObjectSchema = z.object({
  bucket: z.string().min(3).max(222),
  name: objectName,
  generation: z.string().regex(/^\d+$/, 'must be a generation number'),
});

/**
 * A work order, published by the job's workflow: a few files of one job (consecutive in its
 * plan) and what to make of them. Small files travel several to a message, so a job of
 * thousands of small files is not thousands of deliveries and commits (workflow-steps.ts).
 */
export const decompressMessageSchema = z.object({
  jobId: jobIdSchema,
  files: z
    .array(z.object({ index: z.number().int().min(0), source: sourceObjectSchema }))
    .min(1)
    .max(MAX_FILES_PER_MESSAGE),
  target: z.object({ bucket: z.string().min(3).max(222), prefix: z.string().max(512) }),
  plugin: z.string().min(1),
  processType: z.enum(SUPPORTED_PROCESS_TYPES).default('decompress_and_concatenate'),
  compression: z.enum(SUPPORTED_OUTPUT_COMPRESSIONS).default('none'),
  invalidLines: z.enum(INVALID_LINE_POLICIES).default('quarantine'),
  /** What a decompress_concatenate_parse file makes: products and their options. */
  parse: parseMessageSchema.optional(),
  /** Which files the job keeps; a file that does not match is skipped, not failed. */
  filters: fileFiltersSchema.optional(),
});

export type DecompressMessage = z.output<typeof decompressMessageSchema>;
export type DecompressMessageInput = z.input<typeof decompressMessageSchema>;

/** One file of a work order with the order's settings and its status id: what a file needs. */
type FileTask = Omit<DecompressMessage, 'files'> &
  DecompressMessage['files'][number] & { fileId: string };

/** Validates a decoded message body; a bad one is EVENT.INVALID, acknowledged and never retried. */
export function parseDecompressMessage(body: unknown): DecompressMessage {
  return parseEvent(decompressMessageSchema, body, 'decompress message');
}

/** What the decompress use case needs. */
export interface DecompressDeps {
  objectStore: ObjectStore;
  plugins: PluginRegistry;
  /** File statuses; a file's first market is indexed with its outcome, so the market API finds it. */
  statusStore: FileStatusStore;
  logger: Logger;
  /** Deliveries of one file before it is marked failed (keep below the dead-letter count). */
  maxAttempts: number;
  /** Where a job-failed notice from the workflow records the job failed. */
  jobStore: JobStore;
  now: () => Date;
}

/**
 * Decompresses a work order's files in plan order, each exactly once in effect. Idempotency
 * key: the job id and each source's (bucket, name, generation). A repeated message skips the
 * files already finished; a failure of a file itself (corrupt, truncated or non-bz2 data, a
 * missing or changed source, an internal error while decoding it) is recorded with its reason
 * and the order goes on; an outage is thrown for redelivery (see shouldRedeliver) once the
 * outcomes of the files before it are recorded, so the redelivery takes up where it stopped.
 */
export async function decompressFiles(
  deps: DecompressDeps,
  message: DecompressMessage,
): Promise<FileState[]> {
  const { files, ...settings } = message;
  const tasks: FileTask[] = files.map((file) => ({
    ...settings,
    ...file,
    fileId: fileIdOf(file.source),
  }));
  // An order's notice is named after its first file (see OrderNotice).
  const order = { jobId: message.jobId, orderId: tasks[0]!.fileId };
  const begun = await deps.statusStore.begin(order, tasks, deps.maxAttempts);
  const states: FileState[] = [];
  let attempted: Attempted[] = [];
  try {
    for (const [i, task] of tasks.entries()) {
      const begin = begun[i]!;
      const log = fileLogger(deps, task);
      if (begin.proceed) {
        const attempt = await attemptFile(deps, task, log, begin.attempt);
        attempted.push(attempt);
        states.push(attempt.finished.outcome.state);
      } else {
        // Giving up is this file's failure, logged like any other so the failed-files metric
        // (cdktf/constructs/monitoring.ts) counts it.
        if (begin.gaveUp) log.warn(FILE_FAILED, { error: begin.gaveUp, attempt: deps.maxAttempts });
        else log.info('file already handled', { state: begin.state });
        states.push(begin.state);
      }
      // An order of large files shows each outcome within about a second, not at its end.
      if (attempted.length > 0 && performance.now() - attempted[0]!.endedAt >= RECORD_WITHIN_MS) {
        await recordOutcomes(deps, order, attempted);
        attempted = [];
      }
    }
  } finally {
    await recordOutcomes(deps, order, attempted);
  }
  return states;
}

/** How long an outcome may wait for the rest of its work order before it is recorded. */
const RECORD_WITHIN_MS = 1000;

/** A file's attempt as it ended, with what to log once its outcome is recorded. */
interface Attempted {
  task: FileTask;
  /** When the attempt ended, by performance.now(). */
  endedAt: number;
  finished: FinishedFile;
  log: Logger;
  logged: { severity: 'INFO' | 'WARNING'; message: string; fields: Record<string, unknown> };
}

function fileLogger(deps: DecompressDeps, task: FileTask): Logger {
  return deps.logger.child({ jobId: task.jobId, fileId: task.fileId, object: task.source.name });
}

/** Reads, filters and decodes one file; throws only what should be redelivered. */
async function attemptFile(
  deps: DecompressDeps,
  task: FileTask,
  log: Logger,
  attempt: number,
): Promise<Attempted> {
  const ended = (
    outcome: FileOutcome,
    logged: Attempted['logged'],
    market?: IndexedMarket,
  ): Attempted => ({
    task,
    endedAt: performance.now(),
    finished: { fileId: task.fileId, sourceName: task.source.name, outcome, market },
    log,
    logged,
  });
  try {
    // With filters the first market is read before decoding; without, it is seen while decoding.
    let first: FirstMarket | undefined;
    if (task.filters !== undefined) {
      first = await readFirstMarket(deps, task);
      const skipReason = filterMismatch(first?.definition, task.filters);
      if (skipReason !== undefined) {
        return ended(
          { state: 'skipped', skipReason },
          {
            severity: 'INFO',
            message: 'file skipped by the job filters',
            fields: { attempt, skipReason },
          },
          marketOf(task, first),
        );
      }
    }
    const watched = watchingPlugin(deps.plugins.get(task.plugin));
    const result = await decodeTask(deps, task, watched.plugin);
    return ended(
      { state: 'succeeded', result },
      { severity: 'INFO', message: 'file decompressed', fields: { ...result, attempt } },
      marketOf(task, first ?? watched.first()),
    );
  } catch (thrown) {
    const error = toAppError(thrown);
    if (shouldRedeliver(error, 'input')) throw error;
    const reason = { code: error.code, message: error.message };
    return ended(
      { state: 'failed', error: reason },
      { severity: 'WARNING', message: FILE_FAILED, fields: { error: reason, attempt } },
    );
  }
}

/** Records the attempts' outcomes, then logs each; parts of an outcome recorded first are dropped. */
async function recordOutcomes(
  deps: DecompressDeps,
  order: WorkOrderKey,
  attempted: Attempted[],
): Promise<void> {
  if (attempted.length === 0) return;
  const recorded = await deps.statusStore.finish(
    order,
    attempted.map((a) => a.finished),
  );
  for (const [i, { task, finished, log, logged }] of attempted.entries()) {
    if (!recorded[i] && finished.outcome.state === 'succeeded') {
      await discardLateParts(deps, task, finished.outcome.result);
    }
    if (logged.severity === 'WARNING') log.warn(logged.message, logged.fields);
    else log.info(logged.message, logged.fields);
  }
}

/**
 * Another delivery of the same message finished the file first, while this one was writing the
 * same parts again: if the job was finalized meanwhile, its parts were composed and deleted
 * already, and the ones just rewritten would outlive it. Mirrored outputs are results, not parts.
 */
async function discardLateParts(
  deps: DecompressDeps,
  message: FileTask,
  result: FileResult,
): Promise<void> {
  if (message.processType === 'decompress_only') return;
  const parts = [result.output, ...Object.values(result.products ?? {}).map((p) => p.output)];
  try {
    const job = await deps.jobStore.get(message.jobId);
    if (!FINAL_JOB_STATUSES.includes(job.status)) return; // its finalize will delete them
    await Promise.all(
      [...new Set(parts)].map((name) => deps.objectStore.delete(message.target.bucket, name)),
    );
  } catch (error) {
    // The file's outcome stands; parts left here are removed by the local start-up's sweep.
    deps.logger.warn('could not remove parts written after the job ended', {
      jobId: message.jobId,
      parts,
      error: toAppError(error).message,
    });
  }
}

/** The file's first market, for the job's filters (read no further). */
async function readFirstMarket(
  deps: DecompressDeps,
  message: FileTask,
): Promise<FirstMarket | undefined> {
  const { source } = message;
  const input = await deps.objectStore.read(source.bucket, source.name, {
    generation: source.generation,
  });
  const plugin = deps.plugins.get(message.plugin);
  try {
    return await firstMarket(plugin.decoder(input as AsyncIterable<Buffer>));
  } finally {
    input.destroy();
  }
}

/** The index entry of the file's first market, written with the file's outcome. */
function marketOf(message: FileTask, first: FirstMarket | undefined): IndexedMarket | undefined {
  return first && indexedMarket(message.jobId, message.source, first);
}

/**
 * Decodes the message's source object into its part (or, in decompress_only, its mirrored
 * output) and its quarantine object, reading exactly the planned generation.
 */
async function decodeTask(
  deps: DecompressDeps,
  message: FileTask,
  plugin: SourcePlugin,
): Promise<FileResult> {
  const started = performance.now();
  const { source, target, jobId, compression } = message;
  if (parsesFiles(message.processType)) {
    const parsed = await parseToParts(deps.objectStore, {
      jobId,
      index: message.index,
      source,
      target,
      plugin,
      parse: message.parse ?? parseJobOptions({}),
      invalidLines: message.invalidLines,
    });
    return { ...parsed, durationMs: Math.round(performance.now() - started) };
  }
  const input = await deps.objectStore.read(source.bucket, source.name, {
    generation: source.generation,
  });
  const decoded = await decodeObject({
    sourceName: source.name,
    input,
    plugin,
    invalidLines: message.invalidLines,
    gzip: compression === 'gzip',
    target: bucketWriter(deps.objectStore, target.bucket),
    output:
      message.processType === 'decompress_only'
        ? mirroredName(target.prefix, source.name, compression)
        : partName(target.prefix, jobId, message.index, compression),
    quarantine: quarantineName(target.prefix, jobId, source.name),
  });
  return { ...decoded, durationMs: Math.round(performance.now() - started) };
}

/**
 * Wires the decompress use case to the platform; the worker pool lives as long as the instance
 * and starts with it, so the first work order does not wait for its threads.
 */
export function decompressDeps(platform: Platform): DecompressDeps {
  const workers = createBzip2WorkerPool(platform.config.bz2Workers);
  workers.start();
  return {
    objectStore: platform.objectStore,
    statusStore: new FirestoreFileStatusStore(platform.firestore),
    plugins: createSourcePlugins({
      // Many files decode at once in a function host: small ones spread over the pool too.
      decodeBz2: (source) => decodeBzip2(source, { workers, inlineSingleBlock: false }),
    }),
    logger: platform.logger,
    maxAttempts: platform.config.decompressMaxAttempts,
    jobStore: new FirestoreJobStore(platform.firestore),
    now: () => new Date(),
  };
}

/**
 * The CloudEvent handler for one `messagePublished` event: a work order, or the job
 * workflow's notice that a job failed and the pipeline API could not be told (job-workflow.ts).
 */
export function decompressHandler(deps: DecompressDeps) {
  return (event: IncomingEvent): Promise<void> =>
    runEvent(deps.logger, event.id, async () => {
      const body = pubsubJson(event.data);
      if (isJobFailedNotice(body)) {
        await recordJobFailure(deps, parseEvent(jobFailedNoticeSchema, body, 'job-failed notice'));
      } else {
        await decompressFiles(deps, parseDecompressMessage(body));
      }
    });
}

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
import { FINAL_JOB_STATUSES, type FileStatusStore, type JobStore } from './stores.js';

const objectName = z.string().min(1).max(1024);

/** The log message of a file recorded failed for good; the failed-files metric counts it. */
export const FILE_FAILED = 'file failed';

/** One file's work order, published once per file by the job's workflow. */
export const decompressMessageSchema = z.object({
  jobId: jobIdSchema,
  index: z.number().int().min(0),
  source: z.object({
    bucket: z.string().min(3).max(222),
    name: objectName,
    generation: z.string().regex(/^\d+$/, 'must be a generation number'),
  }),
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
 * Decompresses one file of a job, exactly once in effect. Idempotency key: the job id and the
 * source's (bucket, name, generation). A repeated message for a finished file does nothing; a
 * failure of the file itself (corrupt, truncated or non-bz2 data, a missing or changed source,
 * an internal error while decoding it) is recorded with its reason and acknowledged; an outage
 * is thrown for redelivery (see shouldRedeliver).
 */
export async function decompressFile(
  deps: DecompressDeps,
  message: DecompressMessage,
): Promise<FileState> {
  const fileId = fileIdOf(message.source);
  const log = deps.logger.child({ jobId: message.jobId, fileId, object: message.source.name });
  const begun = await deps.statusStore.begin(
    message.jobId,
    fileId,
    message.index,
    message.source,
    deps.maxAttempts,
  );
  if (!begun.proceed) {
    // Giving up is this file's failure, logged like any other so the failed-files metric
    // (cdktf/constructs/monitoring.ts) counts it.
    if (begun.gaveUp) log.warn(FILE_FAILED, { error: begun.gaveUp, attempt: deps.maxAttempts });
    else log.info('file already handled', { state: begun.state });
    return begun.state;
  }
  try {
    // With filters the first market is read before decoding; without, it is seen while decoding.
    let first: FirstMarket | undefined;
    if (message.filters !== undefined) {
      first = await readFirstMarket(deps, message);
      const skipReason = filterMismatch(first?.definition, message.filters);
      if (skipReason !== undefined) {
        const outcome = { state: 'skipped', skipReason } as const;
        await deps.statusStore.finish(message.jobId, fileId, outcome, marketOf(message, first));
        log.info('file skipped by the job filters', { attempt: begun.attempt, skipReason });
        return 'skipped';
      }
    }
    const watched = watchingPlugin(deps.plugins.get(message.plugin));
    const result = await decodeMessage(deps, message, watched.plugin);
    const market = marketOf(message, first ?? watched.first());
    const outcome = { state: 'succeeded', result } as const;
    if (!(await deps.statusStore.finish(message.jobId, fileId, outcome, market))) {
      await discardLateParts(deps, message, result);
    }
    log.info('file decompressed', { ...result, attempt: begun.attempt });
    return 'succeeded';
  } catch (thrown) {
    const error = toAppError(thrown);
    if (shouldRedeliver(error, 'input')) throw error;
    const reason = { code: error.code, message: error.message };
    await deps.statusStore.finish(message.jobId, fileId, { state: 'failed', error: reason });
    log.warn(FILE_FAILED, { error: reason, attempt: begun.attempt });
    return 'failed';
  }
}

/**
 * Another delivery of the same message finished the file first, while this one was writing the
 * same parts again: if the job was finalized meanwhile, its parts were composed and deleted
 * already, and the ones just rewritten would outlive it. Mirrored outputs are results, not parts.
 */
async function discardLateParts(
  deps: DecompressDeps,
  message: DecompressMessage,
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
  message: DecompressMessage,
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
function marketOf(
  message: DecompressMessage,
  first: FirstMarket | undefined,
): IndexedMarket | undefined {
  return first && indexedMarket(message.jobId, message.source, first);
}

/**
 * Decodes the message's source object into its part (or, in decompress_only, its mirrored
 * output) and its quarantine object, reading exactly the planned generation.
 */
async function decodeMessage(
  deps: DecompressDeps,
  message: DecompressMessage,
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

/** Wires the decompress use case to the platform; the worker pool lives as long as the instance. */
export function decompressDeps(platform: Platform): DecompressDeps {
  const workers = createBzip2WorkerPool(platform.config.bz2Workers);
  return {
    objectStore: platform.objectStore,
    statusStore: new FirestoreFileStatusStore(platform.firestore),
    plugins: createSourcePlugins({ decodeBz2: (source) => decodeBzip2(source, { workers }) }),
    logger: platform.logger,
    maxAttempts: platform.config.decompressMaxAttempts,
    jobStore: new FirestoreJobStore(platform.firestore),
    now: () => new Date(),
  };
}

/**
 * The CloudEvent handler for one `messagePublished` event: a file's work order, or the job
 * workflow's notice that a job failed and the pipeline API could not be told (job-workflow.ts).
 */
export function decompressHandler(deps: DecompressDeps) {
  return (event: IncomingEvent): Promise<void> =>
    runEvent(deps.logger, event.id, async () => {
      const body = pubsubJson(event.data);
      if (isJobFailedNotice(body)) {
        await recordJobFailure(deps, parseEvent(jobFailedNoticeSchema, body, 'job-failed notice'));
      } else {
        await decompressFile(deps, parseDecompressMessage(body));
      }
    });
}

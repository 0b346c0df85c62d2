import { randomBytes, createHash } from 'node:crypto';
import { z } from 'zod';
import type { DecodedObject } from '../engine/decode-object.js';
import type { InvalidLinePolicy } from '../engine/lines/lines.js';
import type { FileFilters } from './file-filters.js';
import type { ParseJobOptions, TableName } from './parse-options.js';
import type { LoadReport, WarehouseOptions } from './warehouse-options.js';

/** What a job id may look like where one arrives from outside (a URL, a message). */
export const jobIdSchema = z.string().regex(/^[\w-]{1,64}$/, 'is not a job id');

/** The ids newJobId makes: only folders named so are ever cleaned up as a job's. */
export const NEW_JOB_ID = /^\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/;

/** A job id in the predecessor's form, `2024-01-19-abc12345`: the UTC date and 8 hex digits. */
export function newJobId(now: Date): string {
  return `${now.toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
}

/**
 * The id of a file's work inside a job: a digest of bucket, object name and generation, so a
 * redelivered message finds the same status document and an overwritten source is new work.
 */
export function fileIdOf(source: SourceObject): string {
  return createHash('sha256')
    .update(`${source.bucket}\n${source.name}\n${source.generation}`)
    .digest('hex')
    .slice(0, 32);
}

/** What a job does with the files, in the predecessor API's names. */
export const PROCESS_TYPES = [
  'decompress_only',
  'decompress_and_concatenate',
  'decompress_concatenate_parse',
  'direct_to_bigquery',
] as const;
export type ProcessType = (typeof PROCESS_TYPES)[number];

/** The process types this system runs; the others are refused with a 400 listing these. */
export const SUPPORTED_PROCESS_TYPES = [
  'decompress_only',
  'decompress_and_concatenate',
  'decompress_concatenate_parse',
  'direct_to_bigquery',
] as const;
export type SupportedProcessType = (typeof SUPPORTED_PROCESS_TYPES)[number];

/** Process types whose files are replayed into products (direct_to_bigquery then loads them). */
export function parsesFiles(processType: SupportedProcessType): boolean {
  return processType === 'decompress_concatenate_parse' || processType === 'direct_to_bigquery';
}

/** Output compression, in the predecessor API's names. */
export const OUTPUT_COMPRESSIONS = ['none', 'gzip', 'snappy'] as const;
export const SUPPORTED_OUTPUT_COMPRESSIONS = ['none', 'gzip'] as const;
export type OutputCompression = (typeof SUPPORTED_OUTPUT_COMPRESSIONS)[number];

/** A job's status, as the predecessor reported it. */
export const JOB_STATUSES = ['submitted', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** One source file's state in a job. */
export const FILE_STATES = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
] as const;
export type FileState = (typeof FILE_STATES)[number];

/** States a file never leaves; reaching one is counted exactly once. */
export const TERMINAL_FILE_STATES: readonly FileState[] = [
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
];

export function isTerminal(state: FileState | undefined): boolean {
  return state !== undefined && TERMINAL_FILE_STATES.includes(state);
}

/** Firestore layout: jobs, each job's per-file status documents and its work orders' notices. */
export const JOBS_COLLECTION = 'dataflow-jobs';
export const FILES_SUBCOLLECTION = 'files';
export const ORDERS_SUBCOLLECTION = 'orders';

/**
 * A work order's notice, `dataflow-jobs/{jobId}/orders/{orderId}` (named after the order's
 * first file): rewritten in the same commit as each batch of the order's file outcomes, and
 * holding just that batch, so the status trigger gets one event per commit rather than one per
 * file. The file documents stay the record; a notice only says what a commit changed.
 */
export interface OrderNotice {
  jobId: string;
  recorded: RecordedOutcome[];
  recordedAt: Date;
}

/** A file that reached a terminal state, as its order's notice names it. */
export interface RecordedOutcome {
  fileId: string;
  state: FileState;
  /** The source object's name, `PRO/2022/Apr/19/…/1.23.bz2`. */
  source: string;
  error?: FileError;
}

/** A source object pinned to one generation: the identity of a file's work. */
export interface SourceObject {
  bucket: string;
  name: string;
  generation: string;
}

/** Why a file failed, for a person and for `_FAILURES.csv`. */
export interface FileError {
  code: string;
  message: string;
}

/** What decompressing one file produced: its part (or, in decompress_only, its final object). */
export interface FileResult extends DecodedObject {
  durationMs: number;
  /** In a parse job: each product's part, its bytes and rows (`output` is the first's). */
  products?: Partial<Record<TableName, ProductPart>>;
  /**
   * In a parse job: lines that are not market data, left out of the products; with the
   * `quarantine` policy also written to `quarantine` and counted in `quarantinedLines`.
   */
  malformedLines?: number;
}

/** One product's rows of one file, as a part waiting to be composed. */
export interface ProductPart {
  output: string;
  bytes: number;
  rows: number;
}

/** The per-file status document, `dataflow-jobs/{jobId}/files/{fileId}`. */
export interface FileStatus {
  jobId: string;
  fileId: string;
  /** Position of the file in the job's plan (source-path order). */
  index: number;
  source: SourceObject;
  state: FileState;
  attempts: number;
  result?: FileResult;
  error?: FileError;
  /** Why the job's filters left a skipped file out: `marketType WIN not in [PLACE]`. */
  skipReason?: string;
  updatedAt: Date;
}

/** The stages the predecessor's monitor shows, and their states. */
export const STAGES = ['read', 'decompress', 'concatenate', 'write', 'validate'] as const;
/** `load`, the warehouse load after finalize, is a stage of direct_to_bigquery jobs only. */
export type Stage = (typeof STAGES)[number] | 'load';
export type JobStages = Record<(typeof STAGES)[number], StageState> & { load?: StageState };
export const STAGE_STATES = ['waiting', 'in_progress', 'completed', 'failed'] as const;
export type StageState = (typeof STAGE_STATES)[number];

/** What planning found: the files to process, in pages of the plan subcollection. */
export interface JobPlan {
  /** Files to process (after deduplication and skipping). */
  files: number;
  /** Compressed bytes of those files. */
  bytesTotal: number;
  /** Files left out because the same generation was already processed into this target. */
  skipped: number;
  pages: number;
  pageSize: number;
}

/** Totals over the job's file status documents, kept up to date by the status trigger. */
export interface JobProgress {
  succeeded: number;
  failed: number;
  cancelled: number;
  /** Files left out by the job's filters. */
  skipped?: number;
  /** Compressed bytes read by finished files. */
  bytesRead: number;
  /** Bytes written by finished files. */
  bytesWritten: number;
  /** NDJSON lines written. */
  records: number;
  quarantinedLines: number;
  updatedAt: Date;
}

/** A job document, `dataflow-jobs/{jobId}`, in the predecessor's field names where it had them. */
export interface JobRecord {
  jobId: string;
  /** The workflow execution running the job (the predecessor's Dataflow job id). */
  dataflowJobId: string | null;
  /** Console link to the execution. */
  dataflowUrl: string | null;
  status: JobStatus;
  sourceType: string;
  sourceProject: string;
  sourceBucket: string;
  sourceDataset: string;
  selectedPaths: string[];
  processType: SupportedProcessType;
  compression: OutputCompression;
  outputShards: number;
  targetBucket: string;
  outputPrefix: string;
  invalidLines: InvalidLinePolicy;
  skipProcessed: boolean;
  /** A parse job's products and their options; null for the other process types. */
  parse?: ParseJobOptions | null;
  /** Where a direct_to_bigquery job loads its products; null for the other process types. */
  warehouse?: WarehouseOptions | null;
  /** What the load stage did, per product table, once it ran. */
  load?: LoadReport | null;
  /** Which files the job keeps, read from each file's first market definition; null keeps all. */
  filters?: FileFilters | null;
  /** Files decompressed at once (the predecessor's dataflowMaxWorkers). */
  maxConcurrency: number;
  /** The workflow's time limit (the predecessor's dataflowTimeoutHours). */
  timeoutSeconds: number;
  plan: JobPlan;
  progress: JobProgress;
  stages: JobStages;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  errorMessage: string | null;
  /** `gs://bucket/prefix/` of the output. */
  outputLocation: string;
  /** Shards, `_FAILURES.csv` and `_MANIFEST.json`, once finalized. */
  outputFiles: string[];
}

/** A planned file, as stored in a plan page and published to the decompress function. */
export interface PlannedFile {
  index: number;
  name: string;
  generation: string;
  size: number;
}

/** Firestore subcollections of a job besides `files`. */
export const PLAN_SUBCOLLECTION = 'plan';
export const LOGS_SUBCOLLECTION = 'logs';

/** A job's totals before any file has finished. */
export function initialProgress(now: Date): JobProgress {
  return {
    succeeded: 0,
    failed: 0,
    cancelled: 0,
    bytesRead: 0,
    bytesWritten: 0,
    records: 0,
    quarantinedLines: 0,
    updatedAt: now,
  };
}

/**
 * The counts summed over succeeded files, and the progress field each one feeds. The file
 * status store writes them top-level beside `result`, so every Firestore can sum them.
 */
export const SUMMED_RESULTS = {
  bytesRead: 'bytesIn',
  bytesWritten: 'bytesOut',
  records: 'lines',
  quarantinedLines: 'quarantinedLines',
} as const satisfies Record<string, keyof FileResult>;

/** A job's totals counted from its file statuses as read at `readAt`. */
export function progressOf(files: readonly FileStatus[], readAt: Date): JobProgress {
  const progress = { ...initialProgress(readAt), skipped: 0 };
  for (const file of files) {
    if (file.state === 'failed' || file.state === 'cancelled' || file.state === 'skipped') {
      progress[file.state] += 1;
    } else if (file.state === 'succeeded') {
      progress.succeeded += 1;
      for (const total of Object.keys(SUMMED_RESULTS) as (keyof typeof SUMMED_RESULTS)[]) {
        progress[total] += file.result?.[SUMMED_RESULTS[total]] ?? 0;
      }
    }
  }
  return progress;
}

/** Every stage in one state: all waiting as a job starts, all completed when it is finalized. */
export function allStages(state: StageState = 'waiting'): JobStages {
  return Object.fromEntries(STAGES.map((stage) => [stage, state])) as JobStages;
}

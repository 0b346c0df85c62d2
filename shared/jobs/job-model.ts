/** What a job does with the files, in the predecessor API's names. */
export const PROCESS_TYPES = [
  'decompress_only',
  'decompress_and_concatenate',
  'decompress_concatenate_parse',
  'direct_to_bigquery',
] as const;
export type ProcessType = (typeof PROCESS_TYPES)[number];

/** The process types this system runs; the others are refused with a 400 listing these. */
export const SUPPORTED_PROCESS_TYPES = ['decompress_only', 'decompress_and_concatenate'] as const;
export type SupportedProcessType = (typeof SUPPORTED_PROCESS_TYPES)[number];

/** Output compression, in the predecessor API's names. */
export const OUTPUT_COMPRESSIONS = ['none', 'gzip', 'snappy'] as const;
export const SUPPORTED_OUTPUT_COMPRESSIONS = ['none', 'gzip'] as const;
export type OutputCompression = (typeof SUPPORTED_OUTPUT_COMPRESSIONS)[number];

/** What happens to lines that are not JSON: held back in a quarantine object, or kept. */
export const INVALID_LINE_POLICIES = ['quarantine', 'pass'] as const;
export type InvalidLinePolicy = (typeof INVALID_LINE_POLICIES)[number];

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

/** Firestore layout: jobs, and each job's per-file status documents. */
export const JOBS_COLLECTION = 'dataflow-jobs';
export const FILES_SUBCOLLECTION = 'files';

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

/** What decompressing one file produced. */
export interface FileResult {
  /** Object holding the file's output (a part, or the final object in decompress_only). */
  output: string;
  /** Object holding the quarantined lines, when any. */
  quarantine?: string;
  bytesIn: number;
  bytesOut: number;
  lines: number;
  quarantinedLines: number;
  durationMs: number;
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
  updatedAt: Date;
}

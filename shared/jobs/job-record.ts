import type {
  InvalidLinePolicy,
  JobStatus,
  OutputCompression,
  SupportedProcessType,
} from './job-model.js';

/** The stages the predecessor's monitor shows, and their states. */
export const STAGES = ['read', 'decompress', 'concatenate', 'write', 'validate'] as const;
export type Stage = (typeof STAGES)[number];
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
  /** Files decompressed at once (the predecessor's dataflowMaxWorkers). */
  maxConcurrency: number;
  /** The workflow's time limit (the predecessor's dataflowTimeoutHours). */
  timeoutSeconds: number;
  plan: JobPlan;
  progress: JobProgress;
  stages: Record<Stage, StageState>;
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

/** Every stage waiting, as a job starts. */
export function initialStages(): Record<Stage, StageState> {
  return {
    read: 'waiting',
    decompress: 'waiting',
    concatenate: 'waiting',
    write: 'waiting',
    validate: 'waiting',
  };
}

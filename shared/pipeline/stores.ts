import { createHash } from 'node:crypto';
import type {
  JobStatus,
  JobRecord,
  PlannedFile,
  Stage,
  StageState,
  OutputCompression,
  SourceObject,
  SupportedProcessType,
  FileError,
  FileResult,
  FileState,
  FileStatus,
  JobProgress,
  JobStages,
} from './job-model.js';
import type { IndexedMarket, MarketListFilter } from './market-index.js';
import type { LoadReport } from './warehouse-options.js';

/** One line of a job's log, as `/logs` shows it. */
export interface JobLogEntry {
  time: Date;
  message: string;
  severity: 'INFO' | 'WARNING' | 'ERROR';
}

/** Fields a status change may set alongside the status. */
export interface StatusChange {
  status: JobStatus;
  errorMessage?: string | null;
  completedAt?: Date | null;
  startedAt?: Date | null;
  dataflowJobId?: string | null;
  dataflowUrl?: string | null;
  outputFiles?: string[];
  stages?: Partial<Record<Stage, StageState>>;
  load?: LoadReport;
}

/** Which jobs a history page holds. */
export interface HistoryQuery {
  limit: number;
  status?: JobStatus;
  processType?: SupportedProcessType;
  /** Where the previous page ended: the page after it. */
  before?: HistoryCursor;
}

/**
 * The end of a history page: its last job's creation time, and how many of the jobs created
 * in that same millisecond the pages so far held (ties keep one order: by document name).
 */
export interface HistoryCursor {
  createdAt: Date;
  shown: number;
}

/** The jobs port: job documents, their plan pages and their logs. */
export interface JobStore {
  /** Creates the job and its plan pages; fails with JOB.EXISTS if the id is taken. */
  create(job: JobRecord, pages: PlannedFile[][]): Promise<void>;
  /** The job, or JOB.NOT_FOUND (404). */
  get(jobId: string): Promise<JobRecord>;
  /** Jobs not yet in a final status (submitted or running), oldest first. */
  unfinished(): Promise<JobRecord[]>;
  /** Newest first, at most `limit`, of those the query names (after the cursor `before`). */
  history(query: HistoryQuery): Promise<JobRecord[]>;
  /** One page of the plan, or JOB.PAGE_NOT_FOUND. */
  planPage(jobId: string, page: number): Promise<PlannedFile[]>;
  /**
   * Moves the job to a new status unless it is already in a final one (completed, failed,
   * cancelled); returns the job as it now is and whether this call changed it.
   */
  changeStatus(jobId: string, change: StatusChange): Promise<{ job: JobRecord; changed: boolean }>;
  /** Adds a log line; `id` makes repeated writes of the same event one line. */
  log(jobId: string, id: string, entry: JobLogEntry): Promise<void>;
  /** The newest `limit` log lines, oldest first. */
  logs(jobId: string, limit: number): Promise<JobLogEntry[]>;
}

/** Final job statuses: nothing moves a job out of them. */
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

/** Where and how a job writes: processing the same source again here would repeat work. */
export interface OutputTarget {
  bucket: string;
  prefix: string;
  processType: SupportedProcessType;
  compression: OutputCompression;
}

/** The key of "this source generation was processed into this target". */
export function processedKey(target: OutputTarget, source: SourceObject): string {
  return createHash('sha256')
    .update(
      [
        target.bucket,
        target.prefix,
        target.processType,
        target.compression,
        source.bucket,
        source.name,
        source.generation,
      ].join('\n'),
    )
    .digest('hex');
}

/** Remembers which source generations completed jobs have already written to a target. */
export interface ProcessedIndex {
  /** The subset of `keys` already processed. */
  has(keys: readonly string[]): Promise<Set<string>>;
  add(keys: readonly string[]): Promise<void>;
}

/**
 * Whether an attempt at a file should run, and why not; `gaveUp` when this call marked the
 * file failed after too many attempts.
 */
export type BeginOutcome =
  { proceed: true; attempt: number } | { proceed: false; state: FileState; gaveUp?: FileError };

/** How an attempt ended. */
export type FileOutcome =
  | { state: 'succeeded'; result: FileResult }
  | { state: 'failed'; error: FileError }
  | { state: 'skipped'; skipReason: string };

/** How many of a job's files have ended (any terminal state) and how many are running. */
export interface FileStanding {
  terminal: number;
  running: number;
}

/** Which work order a status change belongs to: its job and its notice's id. */
export interface WorkOrderKey {
  jobId: string;
  orderId: string;
}

/** A file of a work order, as its attempt begins. */
export interface FileToBegin {
  fileId: string;
  index: number;
  source: SourceObject;
}

/** A file's attempt as it ended, with the index entry of the file's first market when known. */
export interface FinishedFile {
  fileId: string;
  /** The source object's name, for the order's notice. */
  sourceName: string;
  outcome: FileOutcome;
  market?: IndexedMarket;
}

/** The per-file status port; every method is safe to repeat. */
export interface FileStatusStore {
  /**
   * Records the start of an attempt at each file, in order, unless the file already reached a
   * terminal state or its job was cancelled (then the file is marked cancelled). Atomic per
   * file, so two deliveries of one message never both see a fresh file as done. The attempt
   * after `maxAttempts` marks the file failed instead, so a file whose retries never succeed
   * cannot stall its job. A work order's first delivery takes one commit for all its files.
   */
  begin(
    order: WorkOrderKey,
    files: readonly FileToBegin[],
    maxAttempts: number,
  ): Promise<BeginOutcome[]>;
  /**
   * Records each outcome unless another attempt already did; returns, in order, whether this
   * one did. A file's first market, when given, is indexed in the same commit (replacing its
   * entry). Files this instance began, and nobody wrote since, take one commit together.
   * Each commit that records outcomes (here, or a give-up or cancellation in begin) also
   * rewrites the order's notice with them (OrderNotice).
   */
  finish(order: WorkOrderKey, files: readonly FinishedFile[]): Promise<boolean[]>;
  /** How many of the job's files are terminal and running (files never started have no document). */
  standing(jobId: string): Promise<FileStanding>;
  /** The job's file documents in plan order, optionally only those in `state`. */
  list(jobId: string, state?: FileState): AsyncIterable<FileStatus>;
}

/** What status aggregation reads of a job document. */
export interface JobProgressState {
  status: JobStatus;
  /** Files the plan expects (`plan.files`). */
  filesPlanned: number;
  /** Totals as last written; `updatedAt` is the server time they were counted at. */
  progress: JobProgress | null;
  stages: JobStages;
}

/** A change to a job document that status aggregation decided on, applied atomically. */
export interface ProgressUpdate {
  progress?: JobProgress;
  stages?: Partial<Record<Stage, StageState>>;
  /** Log lines written with the update, by deterministic id. */
  logs?: { id: string; entry: JobLogEntry }[];
}

/** Decides, from the job as stored at this moment, what to write; null writes nothing. */
export type ProgressDecision = (job: JobProgressState) => ProgressUpdate | null;

/** The port status aggregation talks to. */
export interface ProgressStore {
  /** The job's progress fields, or JOB.NOT_FOUND. */
  read(jobId: string): Promise<JobProgressState>;
  /**
   * Totals over the job's file status documents; `updatedAt` is a server time such that every
   * file change committed before it is counted.
   */
  tally(jobId: string): Promise<JobProgress>;
  /**
   * Claims the job's recount in one time slot; true for exactly one caller per slot, however
   * many ask at once, so a burst of file changes recounts (and writes) once a slot.
   */
  claimRecount(jobId: string, slot: number): Promise<boolean>;
  /** Runs `decide` on the stored job and writes its update atomically; returns what it wrote. */
  apply(jobId: string, decide: ProgressDecision): Promise<ProgressUpdate | null>;
}

/** The markets index port: where each market's file is, one entry per market id. */
export interface MarketIndex {
  /** Records (or replaces) the market's entry; repeating it changes nothing. */
  record(market: IndexedMarket): Promise<void>;
  /** The market's entry, or undefined when no job has indexed it. */
  find(marketId: string): Promise<IndexedMarket | undefined>;
  /** Entries matching every given field, at most `limit`, by market id. */
  list(filter: MarketListFilter, limit: number): Promise<IndexedMarket[]>;
}

import type { JobStatus } from './job-model.js';
import type { JobRecord, PlannedFile, Stage, StageState } from './job-record.js';

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
}

/** The jobs port: job documents, their plan pages and their logs. */
export interface JobStore {
  /** Creates the job and its plan pages; fails with JOB.EXISTS if the id is taken. */
  create(job: JobRecord, pages: PlannedFile[][]): Promise<void>;
  /** The job, or JOB.NOT_FOUND (404). */
  get(jobId: string): Promise<JobRecord>;
  /** Newest first, at most `limit`. */
  history(limit: number): Promise<JobRecord[]>;
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

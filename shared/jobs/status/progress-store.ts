import type { JobStatus } from '../job-model.js';
import type { JobProgress, Stage, StageState } from '../job-record.js';
import type { JobLogEntry } from '../job-store.js';

/** What status aggregation reads of a job document. */
export interface JobProgressState {
  status: JobStatus;
  /** Files the plan expects (`plan.files`). */
  filesPlanned: number;
  /** Totals as last written; `updatedAt` is the server time they were counted at. */
  progress: JobProgress | null;
  stages: Record<Stage, StageState>;
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

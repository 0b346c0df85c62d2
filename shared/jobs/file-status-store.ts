import type { FileError, FileResult, FileState, FileStatus, SourceObject } from './job-model.js';

/** Whether an attempt at a file should run, and why not. */
export type BeginOutcome =
  { proceed: true; attempt: number } | { proceed: false; state: FileState };

/** How an attempt ended. */
export type FileOutcome =
  { state: 'succeeded'; result: FileResult } | { state: 'failed'; error: FileError };

/** The per-file status port; every method is safe to repeat. */
export interface FileStatusStore {
  /**
   * Records the start of an attempt unless the file already reached a terminal state or its
   * job was cancelled (then the file is marked cancelled). Atomic, so two deliveries of one
   * message never both see a fresh file as done. The attempt after `maxAttempts` marks the
   * file failed instead, so a file whose retries never succeed cannot stall its job.
   */
  begin(
    jobId: string,
    fileId: string,
    index: number,
    source: SourceObject,
    maxAttempts: number,
  ): Promise<BeginOutcome>;
  /** Records the outcome unless another attempt already did; returns whether this one did. */
  finish(jobId: string, fileId: string, outcome: FileOutcome): Promise<boolean>;
  /** How many of the job's files are in each state (files never started have no document). */
  counts(jobId: string): Promise<Record<FileState, number>>;
  /** The job's file documents in plan order, optionally only those in `state`. */
  list(jobId: string, state?: FileState): AsyncIterable<FileStatus>;
}

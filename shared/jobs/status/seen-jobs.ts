import type { JobProgressState } from './progress-store.js';

/** Jobs remembered per function instance; the oldest is forgotten first. */
const MAX_JOBS = 100;

/**
 * The last state of each job this instance read. File stages never move back to `waiting`,
 * frozen statuses stay frozen and stored totals never get older, so whatever an old read shows
 * as already done (stages begun, a change covered, a slot recounted) is still done: the status
 * trigger may skip its read of the job document then, and must read it otherwise.
 */
export class SeenJobs {
  private readonly jobs = new Map<string, JobProgressState>();

  get(jobId: string): JobProgressState | undefined {
    return this.jobs.get(jobId);
  }

  remember(jobId: string, job: JobProgressState): void {
    this.jobs.delete(jobId);
    this.jobs.set(jobId, job);
    if (this.jobs.size > MAX_JOBS) this.jobs.delete(this.jobs.keys().next().value!);
  }
}

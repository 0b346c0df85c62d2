import { type IncomingEvent, runEvent } from '../../platform/events.js';
import type { Logger } from '../../platform/logging.js';
import type { Platform } from '../../platform/platform.js';
import { FirestoreJobStore } from '../firestore/job-store.js';
import { FirestoreProgressStore } from '../firestore/progress-store.js';
import { isTerminal } from '../job-model.js';
import type { JobProgressState, JobStore, ProgressStore } from '../stores.js';
import { type FileChange, parseFileChange } from './file-change.js';
import {
  advanceStages,
  decideProgressWrite,
  isCovered,
  isRecountedIn,
  slotOf,
} from './progress-rules.js';

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

/** What status aggregation needs. */
export interface StatusDeps {
  progressStore: ProgressStore;
  jobStore: Pick<JobStore, 'log'>;
  logger: Logger;
  clock: () => Date;
  /** Length of a recount slot: at most one recount, so one progress write, per job and slot. */
  minWriteIntervalMs: number;
  /** What this instance last read of each job, to skip reads that could change nothing. */
  seen?: SeenJobs;
}

/**
 * Brings a job document up to date with one file's change. Idempotency key: the file
 * document's path and the change's commit time. A file that failed gets one log line (fixed
 * id). A file that started or finished asks for a recount of the job's files, which the first
 * asker of each time slot performs; a repeated or reordered event recounts the same totals.
 * A change that falls after its slot's recount is counted by the next slot's, or by the
 * finalize step's refreshJobProgress, so no handler ever waits.
 */
export async function recordFileChange(deps: StatusDeps, change: FileChange): Promise<void> {
  const { after, before } = change;
  if (!after || after.state === before?.state) return;
  const seen = deps.seen?.get(change.jobId);
  if (seen && isSettled(deps, change, seen)) {
    if (after.state === 'failed') await logFailure(deps, change);
    return;
  }
  const job = await deps.progressStore.read(change.jobId);
  deps.seen?.remember(change.jobId, job);
  if (after.state === 'failed') await logFailure(deps, change);
  if (!isShown(change, job)) await recountIfDue(deps, change.jobId, job);
}

/** Whether the job already shows the change: covered by its totals, or its stages begun. */
function isShown(change: FileChange, job: JobProgressState): boolean {
  const state = change.after!.state;
  return isTerminal(state)
    ? isCovered(job.progress, change.changedAt)
    : state !== 'running' || !advanceStages(job, 'in_progress');
}

/**
 * Whether a state of the job read earlier already leaves nothing to do for the change: it
 * shows the change, or its totals were recounted in the current slot. Both stay true as the
 * job moves on (see SeenJobs), so the job document need not be read again.
 */
function isSettled(deps: StatusDeps, change: FileChange, job: JobProgressState): boolean {
  if (isShown(change, job)) return true;
  const slot = slotOf(deps.clock(), deps.minWriteIntervalMs);
  return isRecountedIn(job.progress, slot, deps.minWriteIntervalMs);
}

async function logFailure(deps: StatusDeps, change: FileChange): Promise<void> {
  const { after } = change;
  const name = after?.sourceName ?? change.fileId;
  const reason = after?.error?.message ?? 'no reason recorded';
  await deps.jobStore.log(change.jobId, `file-${change.fileId}-failed`, {
    time: after?.updatedAt ?? change.changedAt,
    message: `File ${name} failed: ${reason}`,
    severity: 'ERROR',
  });
}

/** Recounts unless this slot already was, or another handler claimed it first. */
async function recountIfDue(deps: StatusDeps, jobId: string, job: JobProgressState): Promise<void> {
  const slot = slotOf(deps.clock(), deps.minWriteIntervalMs);
  if (isRecountedIn(job.progress, slot, deps.minWriteIntervalMs)) return;
  if (!(await deps.progressStore.claimRecount(jobId, slot))) return;
  await refresh(deps, jobId);
}

/** Recounts the job's files and writes the totals unless newer ones are stored. */
export async function refresh(
  deps: Pick<StatusDeps, 'progressStore' | 'clock'>,
  jobId: string,
): Promise<void> {
  const tally = await deps.progressStore.tally(jobId);
  const now = deps.clock();
  await deps.progressStore.apply(jobId, (stored) => decideProgressWrite(stored, tally, now));
}

/**
 * Recounts a job's files and writes the totals now, outside the recount slots (never over
 * newer totals). The finalize step calls it last, so a change that fell after the last
 * recount of the trigger is never missing from the final totals.
 */
export async function refreshJobProgress(
  db: Platform['firestore'],
  jobId: string,
  now: Date,
): Promise<void> {
  const progressStore = new FirestoreProgressStore(db);
  await refresh({ progressStore, clock: () => now }, jobId);
}

/** Firestore sustains about one write a second to one document. */
export const MIN_WRITE_INTERVAL_MS = 1000;

/** Wires status aggregation to the platform's Firestore. */
export function jobStatusDeps(platform: Platform): StatusDeps {
  return statusDeps(platform.firestore, platform.logger);
}

/** Status aggregation on one Firestore database, with the real clock and write interval. */
export function statusDeps(firestore: Platform['firestore'], logger: Logger): StatusDeps {
  return {
    progressStore: new FirestoreProgressStore(firestore),
    jobStore: new FirestoreJobStore(firestore),
    logger,
    clock: () => new Date(),
    minWriteIntervalMs: MIN_WRITE_INTERVAL_MS,
    seen: new SeenJobs(),
  };
}

/** The CloudEvent handler for `google.cloud.firestore.document.v1.written` on file statuses. */
export function jobStatusHandler(deps: StatusDeps) {
  return (event: IncomingEvent): Promise<void> =>
    runEvent(deps.logger, event.id, () => recordFileChange(deps, parseFileChange(event.data)));
}

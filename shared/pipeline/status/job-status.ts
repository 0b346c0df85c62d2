import { setTimeout as delay } from 'node:timers/promises';
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
 * trigger may skip its read of the job document then, and must read it otherwise. It also
 * remembers the latest slot this instance asked to recount late, so a burst asks once.
 */
export class SeenJobs {
  private readonly jobs = new Map<string, { job: JobProgressState; lateSlot?: number }>();

  get(jobId: string): JobProgressState | undefined {
    return this.jobs.get(jobId)?.job;
  }

  remember(jobId: string, job: JobProgressState): void {
    this.put(jobId, { ...this.jobs.get(jobId), job });
  }

  /** True the first time this instance asks for a late recount of the job in `slot`. */
  firstLateAsk(jobId: string, slot: number): boolean {
    const known = this.jobs.get(jobId);
    if (!known) return true;
    if ((known.lateSlot ?? -1) >= slot) return false;
    this.put(jobId, { ...known, lateSlot: slot });
    return true;
  }

  /** Forgets an ask whose claim failed, so the next change asks again. */
  forgetLateAsk(jobId: string, slot: number): void {
    const known = this.jobs.get(jobId);
    if (known?.lateSlot === slot) this.put(jobId, { job: known.job });
  }

  /**
   * Whether a recount that starts after `slot` ends is already claimed, by this instance or
   * by whoever won the claim it asked for: it counts every change committed by now.
   */
  recountClaimedAfter(jobId: string, slot: number): boolean {
    return (this.jobs.get(jobId)?.lateSlot ?? -1) > slot;
  }

  private put(jobId: string, entry: { job: JobProgressState; lateSlot?: number }): void {
    this.jobs.delete(jobId);
    this.jobs.set(jobId, entry);
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
  /** Waits until a late recount's slot begins (default: a real timer). */
  sleep?: (ms: number) => Promise<void>;
  /** What this instance last read of each job, to skip reads that could change nothing. */
  seen?: SeenJobs;
}

/**
 * Brings a job document up to date with one file's change. Idempotency key: the file
 * document's path and the change's commit time. A file that failed gets one log line (fixed
 * id). A file that started or finished asks for a recount of the job's files, which the first
 * asker of each time slot performs; a repeated or reordered event recounts the same totals.
 * A change that falls after its slot's recount claimed it is counted by a late recount at the
 * start of the next slot, which the first such asker waits for (at most one slot), so the
 * stored totals trail the files by at most two slots.
 */
export async function recordFileChange(deps: StatusDeps, change: FileChange): Promise<void> {
  const { after, before } = change;
  if (!after || after.state === before?.state) return;
  await showChange(deps, change);
  if (after.state === 'failed') await logFailure(deps, change);
}

/** Makes the job's stages or totals show the change, now or by a late recount. */
async function showChange(deps: StatusDeps, change: FileChange): Promise<void> {
  const seen = deps.seen?.get(change.jobId);
  if (seen && isShown(change, seen)) return;
  const slot = slotOf(deps.clock(), deps.minWriteIntervalMs);
  if (isTerminal(change.after!.state) && deps.seen?.recountClaimedAfter(change.jobId, slot)) return;
  if (seen && isRecountedIn(seen.progress, slot, deps.minWriteIntervalMs)) {
    return recountLate(deps, change.jobId, slot + 1);
  }
  const job = await deps.progressStore.read(change.jobId);
  deps.seen?.remember(change.jobId, job);
  if (isShown(change, job)) return;
  if (
    !isRecountedIn(job.progress, slot, deps.minWriteIntervalMs) &&
    (await deps.progressStore.claimRecount(change.jobId, slot))
  ) {
    return refresh(deps, change.jobId);
  }
  await recountLate(deps, change.jobId, slot + 1);
}

/** Whether the job already shows the change: covered by its totals, or its stages begun. */
function isShown(change: FileChange, job: JobProgressState): boolean {
  const state = change.after!.state;
  return isTerminal(state)
    ? isCovered(job.progress, change.changedAt)
    : state !== 'running' || !advanceStages(job, 'in_progress');
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

/**
 * The recount of `slot`, which starts after this change committed, so it counts the change:
 * the first asker claims it, waits for the slot to begin and recounts; every other asker
 * leaves it to that one.
 */
async function recountLate(deps: StatusDeps, jobId: string, slot: number): Promise<void> {
  if (deps.seen && !deps.seen.firstLateAsk(jobId, slot)) return;
  const claimed = await deps.progressStore.claimRecount(jobId, slot).catch((error: unknown) => {
    deps.seen?.forgetLateAsk(jobId, slot);
    throw error;
  });
  if (!claimed) return;
  const wait = slot * deps.minWriteIntervalMs - deps.clock().getTime();
  if (wait > 0) await (deps.sleep ?? realSleep)(wait);
  await refresh(deps, jobId);
}

const realSleep = (ms: number) => delay(ms);

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
 * newer totals). The finalize step calls it first, so the final totals wait for no recount.
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

/**
 * The CloudEvent handler for changes of file statuses: deployed on `…document.v1.updated`
 * (platform/functions.ts), and correct for `written` events as well.
 */
export function jobStatusHandler(deps: StatusDeps) {
  return (event: IncomingEvent): Promise<void> =>
    runEvent(deps.logger, event.id, () => recordFileChange(deps, parseFileChange(event.data)));
}

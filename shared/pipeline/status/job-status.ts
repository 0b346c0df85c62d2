import { setTimeout as delay } from 'node:timers/promises';
import { type IncomingEvent, runEvent } from '../../platform/events.js';
import type { Logger } from '../../platform/logging.js';
import type { Platform } from '../../platform/platform.js';
import { FirestoreJobStore } from '../firestore/job-store.js';
import { FirestoreProgressStore } from '../firestore/progress-store.js';
import { isTerminal, type JobProgress, type RecordedOutcome } from '../job-model.js';
import type { JobProgressState, JobStore, ProgressStore } from '../stores.js';
import { type OrderChange, parseOrderChange } from './order-change.js';
import { decideProgressWrite, isCovered, isRecountedIn, slotOf } from './progress-rules.js';

/** Jobs remembered per function instance; the oldest is forgotten first. */
const MAX_JOBS = 100;

/**
 * The last state of each job this instance read. Stored totals never get older and recounts
 * only move to later slots, so whatever an old read shows as already done (a change covered, a
 * slot recounted) is still done: the status trigger may skip its read of the job document
 * then, and must read it otherwise. It also remembers the latest slot this instance asked to
 * recount late, so a burst asks once.
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
 * Brings a job document up to date with the files one commit of a work order recorded
 * terminal. Idempotency key: the order notice's path and the change's commit time. A file that
 * failed gets one log line (fixed id). The change asks for a recount of the job's files, which
 * the first asker of each time slot performs; a repeated or reordered event recounts the same
 * totals. A change that falls after its slot's recount claimed it is counted by a late
 * recount at the start of the next slot, which the first such asker waits for (at most one
 * slot), so the stored totals trail the files by at most two slots.
 */
export async function recordOrderChange(deps: StatusDeps, change: OrderChange): Promise<void> {
  const finished = change.recorded.filter((file) => isTerminal(file.state));
  if (finished.length === 0) return;
  await showChange(deps, change);
  for (const file of finished) {
    if (file.state === 'failed') await logFailure(deps, change, file);
  }
}

/** Makes the job's totals count the change, now or by a late recount. */
async function showChange(deps: StatusDeps, change: OrderChange): Promise<void> {
  const { jobId, changedAt } = change;
  const seen = deps.seen?.get(jobId);
  if (seen && isCovered(seen.progress, changedAt)) return;
  const slot = slotOf(deps.clock(), deps.minWriteIntervalMs);
  if (deps.seen?.recountClaimedAfter(jobId, slot)) return;
  if (seen && isRecountedIn(seen.progress, slot, deps.minWriteIntervalMs)) {
    return recountLate(deps, jobId, slot + 1);
  }
  const job = await deps.progressStore.read(jobId);
  deps.seen?.remember(jobId, job);
  if (isCovered(job.progress, changedAt)) return;
  if (
    !isRecountedIn(job.progress, slot, deps.minWriteIntervalMs) &&
    (await deps.progressStore.claimRecount(jobId, slot))
  ) {
    return refresh(deps, jobId);
  }
  await recountLate(deps, jobId, slot + 1);
}

async function logFailure(
  deps: StatusDeps,
  change: OrderChange,
  file: RecordedOutcome,
): Promise<void> {
  await deps.jobStore.log(change.jobId, `file-${file.fileId}-failed`, {
    time: change.changedAt,
    message: `File ${file.source} failed: ${file.error?.message ?? 'no reason recorded'}`,
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
 * Writes totals counted elsewhere (the finalize step counts them from the file statuses it
 * reads anyway), never over newer ones, with the stages and milestone logs a recount writes.
 */
export async function recordJobProgress(
  db: Platform['firestore'],
  jobId: string,
  totals: JobProgress,
  now: Date,
): Promise<void> {
  const progressStore = new FirestoreProgressStore(db);
  await progressStore.apply(jobId, (stored) => decideProgressWrite(stored, totals, now));
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

/** The CloudEvent handler for writes of work order notices (`…document.v1.written`). */
export function jobStatusHandler(deps: StatusDeps) {
  return (event: IncomingEvent): Promise<void> =>
    runEvent(deps.logger, event.id, () => recordOrderChange(deps, parseOrderChange(event.data)));
}

import type { JobStatus, JobProgress, Stage, StageState } from '../job-model.js';
import type { JobProgressState, ProgressUpdate } from '../stores.js';

/** Stages this trigger owns; concatenate, write and validate belong to the finalize step. */
const FILE_STAGES = ['read', 'decompress'] as const satisfies readonly Stage[];
const STAGE_RANK: Record<StageState, number> = {
  waiting: 0,
  in_progress: 1,
  completed: 2,
  failed: 3,
};
/** Jobs ended by cancellation or failure keep the stages their ending set. */
const FROZEN_STATUSES: readonly JobStatus[] = ['cancelled', 'failed'];

/** Files that reached a counted terminal state. */
export function filesDone(progress: JobProgress | null): number {
  return progress
    ? progress.succeeded + progress.failed + progress.cancelled + (progress.skipped ?? 0)
    : 0;
}

/** Whether every planned file is terminal in these totals. */
export function isComplete(progress: JobProgress | null, filesPlanned: number): boolean {
  return progress !== null && filesDone(progress) >= filesPlanned;
}

/**
 * Whether stored totals already include a change committed at `changedAt`. Strictly later:
 * totals counted in the same millisecond as the change may predate it.
 */
export function isCovered(progress: JobProgress | null, changedAt: Date): boolean {
  return progress !== null && progress.updatedAt.getTime() > changedAt.getTime();
}

/** The recount slot a time falls in: at most one recount per job and slot. */
export function slotOf(time: Date, intervalMs: number): number {
  return Math.floor(time.getTime() / intervalMs);
}

/** Whether the stored totals were counted in `slot` or later. */
export function isRecountedIn(
  progress: JobProgress | null,
  slot: number,
  intervalMs: number,
): boolean {
  return progress !== null && slotOf(progress.updatedAt, intervalMs) >= slot;
}

/** Moves the file stages forward to `target`; never back, never out of `failed`. */
export function advanceStages(
  job: Pick<JobProgressState, 'stages' | 'status'>,
  target: StageState,
): Partial<Record<Stage, StageState>> | undefined {
  if (FROZEN_STATUSES.includes(job.status)) return undefined;
  const moved = FILE_STAGES.filter((stage) => STAGE_RANK[job.stages[stage]] < STAGE_RANK[target]);
  if (moved.length === 0) return undefined;
  return Object.fromEntries(moved.map((stage) => [stage, target]));
}

/**
 * Decides whether fresh totals replace the stored ones: never older totals over newer ones,
 * so concurrent or late writers cannot move progress back. How often totals are recounted
 * (and so written) is limited before counting, by recount slots.
 */
export function decideProgressWrite(
  job: JobProgressState,
  tally: JobProgress,
  now: Date,
): ProgressUpdate | null {
  const stored = job.progress;
  if (stored && stored.updatedAt.getTime() >= tally.updatedAt.getTime()) return null;
  // A recount follows a file starting or finishing, so the file stages have begun either way.
  const target = isComplete(tally, job.filesPlanned) ? 'completed' : 'in_progress';
  return {
    progress: tally,
    stages: advanceStages(job, target),
    logs: milestoneLogs(filesDone(stored), tally, job.filesPlanned, now),
  };
}

const PERCENT_MILESTONES = [100, 75, 50, 25] as const;

/**
 * The log line for the furthest milestone (first file done, 25/50/75/100 % of files) these
 * totals passed since `doneBefore`. Ids are fixed per milestone, so a repeat writes one line.
 */
export function milestoneLogs(
  doneBefore: number,
  tally: JobProgress,
  filesPlanned: number,
  time: Date,
): ProgressUpdate['logs'] {
  const done = filesDone(tally);
  const reached = (count: number) => doneBefore < count && done >= count;
  const percent = PERCENT_MILESTONES.find((p) => reached(Math.ceil((p * filesPlanned) / 100)));
  const summary = `${tally.succeeded} succeeded, ${tally.failed} failed, ${tally.cancelled} cancelled`;
  if (percent !== undefined && filesPlanned > 0) {
    const message =
      percent === 100
        ? `All ${filesPlanned} files done: ${summary}; ${tally.records} records`
        : `${percent}% of files done (${done} of ${filesPlanned}): ${summary}`;
    return [{ id: `progress-${percent}`, entry: { time, message, severity: 'INFO' } }];
  }
  if (!reached(1)) return [];
  const message = `First file done (${done} of ${filesPlanned}): ${summary}`;
  return [{ id: 'progress-first', entry: { time, message, severity: 'INFO' } }];
}

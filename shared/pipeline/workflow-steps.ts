import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '../platform/errors.js';
import type { DecompressMessageInput } from './decompress.js';
import type { JobRecord, PlannedFile } from './job-model.js';
import type { FileStanding, FileStatusStore, JobStore } from './stores.js';

/** What the workflow's steps need. */
export interface WorkflowStepDeps {
  jobStore: JobStore;
  statusStore: FileStatusStore;
  now: () => Date;
  /** Files one work order names at most (`DECOMPRESS_FILES_PER_MESSAGE`). */
  filesPerMessage: number;
}

/** A slice of a plan page as Pub/Sub messages, ready for the workflow's publish connector. */
export interface PageMessages {
  cancelled: boolean;
  messages: { data: string; attributes: Record<string, string> }[];
  /** How many files the messages name together. */
  files: number;
  /** The offset of the page's next slice, or null when this slice ended the page. */
  next: number | null;
}

/** Which files of a plan page to hand out: `limit` files from `offset` (all when unset). */
export interface PageSlice {
  offset: number;
  limit?: number;
}

/** Where the job's files stand, for the workflow's throttle and wait loops and for finalize. */
export interface JobProgressSnapshot {
  total: number;
  terminal: number;
  running: number;
  cancelled: boolean;
  /** Every file is terminal, or the job was cancelled and nothing is still running. */
  done: boolean;
}

/**
 * The messages for one slice of a plan page; the first call also marks the job running. The
 * workflow asks for slices no larger than its free slots, so at most maxConcurrency published
 * files are ever unfinished.
 */
export async function pageMessages(
  deps: WorkflowStepDeps,
  jobId: string,
  page: number,
  slice: PageSlice = { offset: 0 },
): Promise<PageMessages> {
  const job = await deps.jobStore.get(jobId);
  if (job.status === 'cancelled') return { cancelled: true, messages: [], files: 0, next: null };
  if (job.status === 'submitted') {
    await deps.jobStore.changeStatus(jobId, {
      status: 'running',
      startedAt: deps.now(),
      stages: { read: 'in_progress', decompress: 'in_progress' },
    });
  }
  const planned = await deps.jobStore.planPage(jobId, page);
  const end = Math.min(planned.length, slice.offset + (slice.limit ?? planned.length));
  const files = planned.slice(slice.offset, end);
  return {
    cancelled: false,
    next: end < planned.length ? end : null,
    files: files.length,
    messages: workOrders(files, deps.filesPerMessage, job.maxConcurrency).map((order) => {
      const message: DecompressMessageInput = {
        jobId,
        files: order.map((file) => ({
          index: file.index,
          source: { bucket: job.sourceBucket, name: file.name, generation: file.generation },
        })),
        target: { bucket: job.targetBucket, prefix: job.outputPrefix },
        plugin: job.sourceType,
        processType: job.processType,
        compression: job.compression,
        invalidLines: job.invalidLines,
        ...(job.parse ? { parse: job.parse } : {}),
        ...(job.filters ? { filters: job.filters } : {}),
      };
      return {
        data: Buffer.from(JSON.stringify(message)).toString('base64'),
        attributes: { jobId, index: String(order[0]!.index), files: String(order.length) },
      };
    }),
  };
}

/** The compressed bytes one work order takes on at most (a larger file goes alone). */
export const WORK_ORDER_BYTES = 16 * 1024 * 1024;

/**
 * Groups consecutive files into work orders: up to `filesPerOrder` files and WORK_ORDER_BYTES
 * each, and with a concurrency limit N at least min(N, files) orders, so a job limited to N
 * workers still has N files decoding at once.
 */
export function workOrders(
  files: readonly PlannedFile[],
  filesPerOrder: number,
  maxConcurrency = 0,
): PlannedFile[][] {
  const spread = maxConcurrency > 0 ? Math.floor(files.length / maxConcurrency) : Infinity;
  const most = Math.max(1, Math.min(filesPerOrder, spread));
  const orders: PlannedFile[][] = [];
  let order: PlannedFile[] = [];
  let bytes = 0;
  for (const file of files) {
    if (order.length >= most || (order.length > 0 && bytes + file.size > WORK_ORDER_BYTES)) {
      orders.push(order);
      order = [];
      bytes = 0;
    }
    order.push(file);
    bytes += file.size;
  }
  if (order.length > 0) orders.push(order);
  return orders;
}

/** Where the job's files stand, counted from their stored status documents. */
export async function jobProgress(
  deps: Pick<WorkflowStepDeps, 'jobStore' | 'statusStore'>,
  jobId: string,
): Promise<JobProgressSnapshot> {
  const [job, standing] = await Promise.all([
    deps.jobStore.get(jobId),
    deps.statusStore.standing(jobId),
  ]);
  return progressSnapshot(job, standing);
}

/** Longest a progress call waits for the job's files, under Workflows' HTTP call timeout. */
export const MAX_PROGRESS_WAIT_SECONDS = 60;

/** Bounds of the pause before a waiting progress call counts the files again. */
const RECHECK_MIN_MS = 50;
const RECHECK_MAX_MS = 1000;
/** The pause while the files' pace is not known yet (first count, or none finished since). */
const RECHECK_UNKNOWN_MS = 250;

/**
 * The job's progress once every file is terminal (or the job was cancelled and nothing runs),
 * or as it stands once `waitMs` has passed: the workflow's wait for its files sees the end
 * within a moment, rather than at its next poll. A count reads every file status, so counts
 * follow the files' own pace: the next comes about halfway to when the last file should end,
 * as the files finished since the previous count foretell.
 */
export async function progressWhenDone(
  deps: Pick<WorkflowStepDeps, 'jobStore' | 'statusStore'>,
  jobId: string,
  waitMs: number,
): Promise<JobProgressSnapshot> {
  const deadline = Date.now() + waitMs;
  let previous: { terminal: number; at: number } | undefined;
  for (;;) {
    const progress = await jobProgress(deps, jobId);
    const now = Date.now();
    if (progress.done || now >= deadline) return progress;
    await delay(Math.min(recheckPause(previous, progress, now), deadline - now));
    previous = { terminal: progress.terminal, at: now };
  }
}

/** How long to wait before counting again, from the files finished since the last count. */
export function recheckPause(
  previous: { terminal: number; at: number } | undefined,
  progress: Pick<JobProgressSnapshot, 'terminal' | 'total'>,
  now: number,
): number {
  const finished = previous === undefined ? 0 : progress.terminal - previous.terminal;
  if (previous === undefined || finished <= 0 || now <= previous.at) return RECHECK_UNKNOWN_MS;
  const msPerFile = (now - previous.at) / finished;
  const untilLast = (progress.total - progress.terminal) * msPerFile;
  return Math.min(RECHECK_MAX_MS, Math.max(RECHECK_MIN_MS, untilLast / 2));
}

/** A job's standing from its record and the counts of its file status documents. */
export function progressSnapshot(
  job: Pick<JobRecord, 'status' | 'plan'>,
  { terminal, running }: FileStanding,
): JobProgressSnapshot {
  const cancelled = job.status === 'cancelled';
  return {
    total: job.plan.files,
    terminal,
    running,
    cancelled,
    done: terminal >= job.plan.files || (cancelled && running === 0),
  };
}

/** Records why the workflow could not finish the job. */
export async function failJob(
  deps: WorkflowStepDeps,
  jobId: string,
  reason: string,
): Promise<JobRecord> {
  const { job } = await deps.jobStore.changeStatus(jobId, {
    status: 'failed',
    errorMessage: reason,
    completedAt: deps.now(),
  });
  await deps.jobStore.log(jobId, 'zzz-failed', {
    time: deps.now(),
    severity: 'ERROR',
    message: `Pipeline failed: ${reason}`,
  });
  return job;
}

/**
 * Cancels a job: the workflow stops publishing at its next page, files not yet started are
 * skipped by the decompress function, and the workflow ends once running files finish.
 */
export async function cancelJob(
  deps: Pick<WorkflowStepDeps, 'jobStore' | 'now'>,
  jobId: string,
): Promise<JobRecord> {
  const { job, changed } = await deps.jobStore.changeStatus(jobId, {
    status: 'cancelled',
    completedAt: deps.now(),
  });
  if (!changed && job.status !== 'cancelled') {
    throw new AppError(
      'JOB.ALREADY_FINISHED',
      'conflict',
      `Job ${jobId} already ${job.status}; nothing to cancel`,
    );
  }
  if (changed) {
    await deps.jobStore.log(jobId, 'zzz-cancelled', {
      time: deps.now(),
      severity: 'WARNING',
      message: 'Pipeline cancelled',
    });
  }
  return job;
}

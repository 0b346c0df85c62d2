import { Cron } from 'croner';
import { z } from 'zod';
import { AppError } from '../platform/errors.js';
import { parseInput } from '../platform/http.js';
import type { Logger } from '../platform/logging.js';

/** The HTTP methods a Cloud Scheduler HTTP target may use. */
export const HTTP_METHODS = ['POST', 'GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

const jobSchema = z.object({
  name: z.string().min(1),
  schedule: z.string().min(1),
  timeZone: z.string().min(1).default('Etc/UTC'),
  url: z.url(),
  method: z.enum(HTTP_METHODS).default('POST'),
  body: z.string().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  /** Cloud Scheduler's default attempt deadline for HTTP targets is three minutes. */
  attemptDeadlineMs: z.number().int().positive().default(180_000),
});

/** A Cloud Scheduler job with an HTTP target, as configured. */
export type SchedulerJobInput = z.input<typeof jobSchema>;
/** A validated job with its defaults filled in. */
export type SchedulerJob = z.output<typeof jobSchema>;

/** Validates job definitions and fills defaults; a bad one throws REQUEST.INVALID naming the field. */
export function parseJobs(jobs: readonly SchedulerJobInput[]): SchedulerJob[] {
  return parseInput(z.array(jobSchema), jobs, 'scheduler jobs');
}

/** How one run of a job ended. */
export const RUN_OUTCOMES = ['succeeded', 'failed', 'skipped'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** The result of one run: the target's HTTP status, or why there was none. */
export interface RunResult {
  job: string;
  outcome: RunOutcome;
  scheduleTime: string;
  status?: number;
  error?: string;
}

/** A job's state for a status page. */
export interface JobStatus {
  name: string;
  schedule: string;
  timeZone: string;
  nextRun?: string;
  running: boolean;
  runs: number;
  skips: number;
  lastResult?: RunResult;
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Calls a job's target the way Cloud Scheduler does: its user agent and `X-CloudScheduler*`
 * headers, the configured body, and the attempt deadline. Any 2xx is success. Never throws.
 */
export async function callTarget(job: SchedulerJob, scheduleTime: Date): Promise<RunResult> {
  const base = { job: job.name, scheduleTime: scheduleTime.toISOString() };
  try {
    const response = await fetch(job.url, {
      method: job.method,
      headers: { ...job.headers, ...schedulerHeaders(job.name, scheduleTime) },
      body: WITH_BODY.has(job.method) ? (job.body ?? '') : undefined,
      signal: AbortSignal.timeout(job.attemptDeadlineMs),
    });
    await response.arrayBuffer();
    if (response.ok) return { ...base, outcome: 'succeeded', status: response.status };
    return {
      ...base,
      outcome: 'failed',
      status: response.status,
      error: `HTTP ${response.status}`,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, outcome: 'failed', error: message };
  }
}

/** The headers Cloud Scheduler adds to every HTTP target call. */
export function schedulerHeaders(jobName: string, scheduleTime: Date): Record<string, string> {
  return {
    'User-Agent': 'Google-Cloud-Scheduler',
    'X-CloudScheduler': 'true',
    'X-CloudScheduler-JobName': jobName,
    'X-CloudScheduler-ScheduleTime': scheduleTime.toISOString(),
  };
}

/** The jobs to run; `call` is injectable so tests can stand in for the HTTP target. */
export interface LocalSchedulerOptions {
  jobs: readonly SchedulerJobInput[];
  logger?: Logger;
  call?: (job: SchedulerJob, scheduleTime: Date) => Promise<RunResult>;
}

interface JobState {
  job: SchedulerJob;
  cron?: Cron;
  running?: Promise<RunResult>;
  runs: number;
  skips: number;
  lastResult?: RunResult;
}

/**
 * Cloud Scheduler on one machine: calls each job's HTTP target on its cron schedule (croner,
 * in the job's time zone). A run that comes due while the previous call is still in flight
 * is skipped rather than stacked, so a slow target is never called twice at once.
 */
export class LocalScheduler {
  private readonly jobs = new Map<string, JobState>();
  private readonly call: NonNullable<LocalSchedulerOptions['call']>;

  constructor(private readonly options: LocalSchedulerOptions) {
    this.call = options.call ?? callTarget;
    for (const job of parseJobs(options.jobs)) {
      if (this.jobs.has(job.name)) {
        throw new AppError(
          'SCHEDULER.DUPLICATE_JOB',
          'invalid',
          `Job ${job.name} is defined twice`,
        );
      }
      this.jobs.set(job.name, { job, runs: 0, skips: 0 });
    }
  }

  /** Starts every job's schedule; an invalid cron expression or time zone throws. */
  start(): void {
    for (const state of this.jobs.values()) {
      if (state.cron) continue;
      state.cron = this.schedule(state);
    }
  }

  /** Runs a job now, as "Force run" does; skipped when a call of it is already in flight. */
  runNow(name: string): Promise<RunResult> {
    const state = this.jobs.get(name);
    if (!state) {
      return Promise.reject(new AppError('SCHEDULER.JOB_NOT_FOUND', 'not_found', `No job ${name}`));
    }
    return this.run(state, new Date());
  }

  /** Each job's schedule, next run and counters. */
  status(): JobStatus[] {
    return [...this.jobs.values()].map(({ job, cron, running, runs, skips, lastResult }) => ({
      name: job.name,
      schedule: job.schedule,
      timeZone: job.timeZone,
      nextRun: cron?.nextRun()?.toISOString(),
      running: running !== undefined,
      runs,
      skips,
      lastResult,
    }));
  }

  /** Stops every schedule and waits for calls in flight to finish. */
  async stop(): Promise<void> {
    for (const state of this.jobs.values()) {
      state.cron?.stop();
      state.cron = undefined;
    }
    const inFlight = [...this.jobs.values()].flatMap((state) => state.running ?? []);
    await Promise.all(inFlight);
  }

  private schedule(state: JobState): Cron {
    try {
      return new Cron(state.job.schedule, { timezone: state.job.timeZone }, (self: Cron) => {
        void this.run(state, self.currentRun() ?? new Date());
      });
    } catch (error) {
      throw new AppError(
        'SCHEDULER.INVALID_SCHEDULE',
        'invalid',
        `Job ${state.job.name}: cannot schedule "${state.job.schedule}" in ${state.job.timeZone}`,
        { cause: error },
      );
    }
  }

  private async run(state: JobState, scheduleTime: Date): Promise<RunResult> {
    if (state.running) return this.skip(state, scheduleTime);
    state.running = this.call(state.job, scheduleTime).catch((error: unknown) => ({
      job: state.job.name,
      outcome: 'failed' as const,
      scheduleTime: scheduleTime.toISOString(),
      error: error instanceof Error ? error.message : String(error),
    }));
    try {
      const result = await state.running;
      state.runs += 1;
      state.lastResult = result;
      if (result.outcome === 'failed') {
        this.options.logger?.warn('scheduled call failed', { ...result });
      }
      return result;
    } finally {
      state.running = undefined;
    }
  }

  private skip(state: JobState, scheduleTime: Date): RunResult {
    state.skips += 1;
    const result: RunResult = {
      job: state.job.name,
      outcome: 'skipped',
      scheduleTime: scheduleTime.toISOString(),
      error: 'previous run still in flight',
    };
    this.options.logger?.notice('scheduled run skipped: previous call still in flight', {
      job: state.job.name,
      scheduleTime: result.scheduleTime,
    });
    return result;
  }
}

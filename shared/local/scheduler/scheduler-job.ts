import { z } from 'zod';
import { parseInput } from '../../http/validate.js';

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

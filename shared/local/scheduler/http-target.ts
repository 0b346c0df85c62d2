import type { RunResult, SchedulerJob } from './scheduler-job.js';

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

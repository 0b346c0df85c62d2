import { z } from 'zod';
import type { Logger } from '../platform/logging.js';
import { jobIdSchema } from './job-model.js';
import type { JobStore } from './stores.js';

/** The function serving the job workflow's callbacks; internal, never part of the public API. */
export const WORKFLOW_CALLBACK_FUNCTION = 'pipeline-workflow';

/**
 * What the `decompress-job` workflow (workflows/decompress-job.yaml) reads from its deployment
 * rather than from its argument: Cloud Workflows' user environment variables, read with
 * `sys.get_env` (the stack sets them on the workflow; the local runtime gives the interpreter
 * the same). The workflow calls only these callbacks and publishes only to this topic: an
 * execution whose argument names another URL or topic is refused before it calls anything.
 */
export const JOB_WORKFLOW_ENV = {
  /** The callback function's root URL, also the OIDC audience of every call to it. */
  callbackUrl: 'CHIMERA_WORKFLOW_CALLBACK_URL',
  /** The decompress topic's id (the project is the workflow's own). */
  decompressTopic: 'CHIMERA_DECOMPRESS_TOPIC',
} as const;

/** The workflow's environment variables for one deployment. */
export function jobWorkflowEnv(settings: {
  callbackUrl: string;
  decompressTopic: string;
}): Record<string, string> {
  return {
    [JOB_WORKFLOW_ENV.callbackUrl]: settings.callbackUrl,
    [JOB_WORKFLOW_ENV.decompressTopic]: settings.decompressTopic,
  };
}

/** The `kind` of a job-failed notice on the decompress topic. */
export const JOB_FAILED_NOTICE = 'job-failed';

/**
 * What the workflow publishes on the decompress topic when a job failed and reporting that to
 * its callbacks failed too (its calls refused with 401/403, say): the decompress function,
 * reached by Pub/Sub with its own credentials, records the job failed with the reason, so the
 * job does not stay `running`.
 */
export const jobFailedNoticeSchema = z.object({
  kind: z.literal(JOB_FAILED_NOTICE),
  jobId: jobIdSchema,
  /** The workflow's error map for the failure (`{message, code, tags, body}`). */
  error: z.unknown(),
  /** Why reporting it to the callbacks failed. */
  reportError: z.unknown().optional(),
});
export type JobFailedNotice = z.output<typeof jobFailedNoticeSchema>;

/** True when a decoded decompress-topic message is a job-failed notice, not a file's work order. */
export function isJobFailedNotice(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { kind?: unknown }).kind === JOB_FAILED_NOTICE
  );
}

/**
 * Records the job of a notice failed with the notice's reason, unless it already ended;
 * repeated deliveries change nothing more (the log line has a fixed id).
 */
export async function recordJobFailure(
  deps: { jobStore: JobStore; logger: Logger; now: () => Date },
  notice: JobFailedNotice,
): Promise<void> {
  const reason = describeJobFailedNotice(notice);
  const { job, changed } = await deps.jobStore.changeStatus(notice.jobId, {
    status: 'failed',
    errorMessage: reason,
    completedAt: deps.now(),
  });
  if (changed) {
    await deps.jobStore.log(notice.jobId, 'zzz-failed', {
      time: deps.now(),
      severity: 'ERROR',
      message: `Pipeline failed: ${reason}`,
    });
  }
  deps.logger.error('job failed', { jobId: notice.jobId, reason, status: job.status, changed });
}

/** The job's errorMessage for a notice: what failed, and why it could not be reported. */
export function describeJobFailedNotice(notice: JobFailedNotice): string {
  const failure = describeWorkflowError(notice.error) ?? 'The job workflow failed';
  const report = describeWorkflowError(notice.reportError);
  return report ? `${failure}; reporting it to the job's callbacks failed too: ${report}` : failure;
}

const workflowError = z.object({
  message: z.string().optional(),
  code: z.number().optional(),
  body: z.object({ detail: z.string().optional() }).loose().optional().catch(undefined),
});

/** A Workflows error map (`{message, code, tags, body}`) as one sentence, at most 1000 characters. */
export function describeWorkflowError(error: unknown): string | undefined {
  if (error === undefined || error === null) return undefined;
  if (typeof error === 'string') return error.slice(0, 1000);
  const parsed = workflowError.safeParse(error);
  if (!parsed.success) return undefined;
  const { message, code, body } = parsed.data;
  const text = [message, code === undefined ? '' : `(HTTP ${code})`, body?.detail ?? '']
    .filter(Boolean)
    .join(' ');
  return text ? text.slice(0, 1000) : undefined;
}

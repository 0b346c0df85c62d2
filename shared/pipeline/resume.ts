import { toAppError } from '../platform/errors.js';
import type { Logger } from '../platform/logging.js';
import type { WorkflowExecutions } from '../platform/ports/executions.js';
import type { JobRecord } from './job-model.js';
import type { JobStore } from './stores.js';
import { executionUrl, type SubmitDeps, workflowArgument } from './submit.js';

/** What resuming interrupted jobs needs. */
export interface ResumeDeps {
  config: SubmitDeps['config'];
  jobStore: JobStore;
  executions: WorkflowExecutions;
  logger: Logger;
  now: () => Date;
}

/** What a resume did with each unfinished job. */
export interface ResumeReport {
  resumed: string[];
  /** Jobs that could not be resumed, now failed with the reason. */
  failed: { jobId: string; reason: string }[];
}

/**
 * Starts a new workflow execution for every job whose execution died with the system that ran
 * it (the embedded runtime's interpreter keeps executions in memory). Every step of the
 * workflow is idempotent: pages are published again, files already terminal are skipped by the
 * decompress function, parts are rewritten byte for byte, and finalize runs once all files are
 * terminal, so a resumed job ends with the bytes a clean run gives. A job whose execution cannot
 * be started ends failed with the reason, never stuck.
 */
export async function resumeJobs(deps: ResumeDeps): Promise<ResumeReport> {
  const report: ResumeReport = { resumed: [], failed: [] };
  for (const job of await deps.jobStore.unfinished()) {
    try {
      await resumeJob(deps, job);
      report.resumed.push(job.jobId);
    } catch (thrown) {
      const reason = `The job could not be resumed after a restart: ${toAppError(thrown).message}`;
      await deps.jobStore.changeStatus(job.jobId, {
        status: 'failed',
        errorMessage: reason,
        completedAt: deps.now(),
      });
      deps.logger.error('job not resumed', { jobId: job.jobId, reason });
      report.failed.push({ jobId: job.jobId, reason });
    }
  }
  return report;
}

async function resumeJob(deps: ResumeDeps, job: JobRecord): Promise<void> {
  const execution = await deps.executions.start(
    deps.config.jobs.workflow,
    workflowArgument(deps.config, job, job.plan.pages),
  );
  await deps.jobStore.changeStatus(job.jobId, {
    status: job.status,
    dataflowJobId: execution.name,
    dataflowUrl: executionUrl(deps.config, execution.name),
  });
  await deps.jobStore.log(job.jobId, `resumed-${execution.name.split('/').pop()}`, {
    time: deps.now(),
    severity: 'INFO',
    message: `Resumed after a restart: the workflow runs again (${execution.name}); files already finished are not processed again`,
  });
  deps.logger.info('job resumed', { jobId: job.jobId, execution: execution.name });
}

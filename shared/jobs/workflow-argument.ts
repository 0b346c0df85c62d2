import type { Config } from '../config/config.js';
import type { JobRecord } from './job-record.js';

/** The job workflow's single argument; everything else it reads through the pipeline API. */
export interface JobWorkflowArgument {
  jobId: string;
  /** Base URL of the job's workflow endpoints on the pipeline API. */
  jobUrl: string;
  /** `projects/P/topics/T`, for the Pub/Sub connector. */
  topic: string;
  pages: number;
  /** Files decompressing at once; 0 means no limit. */
  maxConcurrency: number;
  pollSeconds: number;
  timeoutSeconds: number;
}

export function workflowArgument(
  config: Pick<Config, 'projectId' | 'jobs' | 'decompressTopic'>,
  job: JobRecord,
  pages: number,
): JobWorkflowArgument {
  return {
    jobId: job.jobId,
    jobUrl: `${config.jobs.apiUrl}/api/pipeline/${job.jobId}/workflow`,
    topic: `projects/${config.projectId}/topics/${config.decompressTopic}`,
    pages,
    maxConcurrency: job.maxConcurrency,
    pollSeconds: config.jobs.pollSeconds,
    timeoutSeconds: job.timeoutSeconds,
  };
}

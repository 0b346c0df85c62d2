import type { JobRecord } from '../job-model.js';
import { FINAL_JOB_STATUSES, type JobStore, type ProgressStore } from '../stores.js';
import { advanceStages, filesDone, isComplete } from './progress-rules.js';

/**
 * Stored totals counted less than this long ago are shown as they are: a recount reads every
 * file status (billed per 1 000 index entries on Firestore), and a console polls often.
 */
const FRESH_ENOUGH_MS = 1000;

/**
 * The job with totals as current as its file statuses. While a job runs, its stored totals
 * trail the files by up to two recount slots, and locally by however long the status events
 * wait behind the job's own decompress deliveries, so they are recounted on read unless
 * counted within the last second; the newer of the two is shown. An ended job's totals were
 * recounted as it ended and are shown as stored.
 */
export async function jobWithCurrentProgress(
  deps: { jobStore: Pick<JobStore, 'get'>; progressStore: Pick<ProgressStore, 'tally'> },
  jobId: string,
): Promise<JobRecord> {
  const job = await deps.jobStore.get(jobId);
  if (FINAL_JOB_STATUSES.includes(job.status)) return job;
  if (Date.now() - job.progress.updatedAt.getTime() < FRESH_ENOUGH_MS) return job;
  const tally = await deps.progressStore.tally(jobId);
  if (tally.updatedAt.getTime() <= job.progress.updatedAt.getTime()) return job;
  const target = isComplete(tally, job.plan.files) ? 'completed' : 'in_progress';
  const stages = filesDone(tally) > 0 ? advanceStages(job, target) : undefined;
  return { ...job, progress: tally, stages: { ...job.stages, ...stages } };
}

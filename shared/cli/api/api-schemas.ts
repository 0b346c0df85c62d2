import { z } from 'zod';

// Loose on purpose: a deployed API may add fields or, being the predecessor's, lack CHIMERA's.
const count = z.number().default(0);

/** `POST /api/pipeline/submit` → 201. */
export const submitResponseSchema = z.looseObject({
  jobId: z.string(),
  dataflowJobId: z.string().nullish(),
  status: z.string(),
  message: z.string().nullish(),
  dataflowUrl: z.string().nullish(),
});
export type SubmitResponse = z.output<typeof submitResponseSchema>;

/** `GET /api/pipeline/{jobId}/status`: the fields the CLI shows. */
export const jobStatusSchema = z.looseObject({
  jobId: z.string(),
  status: z.string(),
  progress: count,
  recordsProcessed: count,
  bytesRead: count,
  elapsedSeconds: count,
  estimatedSecondsRemaining: z.number().nullish(),
  throughputRecordsPerSec: count,
  createdAt: z.string().nullish(),
  completedAt: z.string().nullish(),
  errorMessage: z.string().nullish(),
  outputLocation: z.string().nullish(),
  filesTotal: count,
  filesSucceeded: count,
  filesFailed: count,
  filesSkipped: count,
  filesCancelled: count,
  quarantinedLines: count,
  outputFiles: z.array(z.string()).default([]),
});
export type JobStatusView = z.output<typeof jobStatusSchema>;

/** `GET /api/pipeline/{jobId}/logs`. */
export const logsSchema = z.object({ logs: z.array(z.string()) });

/** `GET /api/pipeline/history`. */
export const historySchema = z.object({
  jobs: z.array(
    z.looseObject({
      jobId: z.string(),
      status: z.string(),
      sourceDataset: z.string().nullish(),
      selectedPaths: z.array(z.string()).default([]),
      processType: z.string().nullish(),
      targetBucket: z.string().nullish(),
      createdAt: z.string().nullish(),
      durationSeconds: z.number().nullish(),
      recordsProcessed: count,
      outputFiles: z.array(z.string()).default([]),
    }),
  ),
});
export type HistoryJob = z.output<typeof historySchema>['jobs'][number];

/** `GET /api/pipeline/{jobId}/files`. */
export const filesSchema = z.object({
  files: z.array(
    z.looseObject({
      source: z.string(),
      state: z.string(),
      error: z.object({ code: z.string(), message: z.string() }).nullish(),
    }),
  ),
});
export type JobFile = z.output<typeof filesSchema>['files'][number];

/** The job statuses after which nothing changes any more. */
export const FINAL_STATUSES: readonly string[] = ['completed', 'failed', 'cancelled'];

import type { JobStatus, JobRecord, JobStages } from '../job-model.js';
import type { LoadReport } from '../warehouse-options.js';
import { FINAL_JOB_STATUSES, type JobLogEntry } from '../stores.js';
import { filesDone, isComplete } from './progress-rules.js';

/** `GET /api/pipeline/{jobId}/status`: the predecessor's fields, then CHIMERA's extras. */
export interface StatusResponse {
  jobId: string;
  dataflowJobId: string | null;
  status: JobStatus;
  /** Percent of planned files done, 0–100; 100 only once the job completed. */
  progress: number;
  recordsProcessed: number;
  /** Estimated from the bytes read so far while running; exact once every file is done. */
  recordsTotal: number;
  bytesRead: number;
  bytesTotal: number;
  elapsedSeconds: number;
  estimatedSecondsRemaining: number | null;
  throughputRecordsPerSec: number;
  stages: JobStages;
  createdAt: string;
  completedAt: string | null;
  errorMessage: string | null;
  outputLocation: string;
  dataflowUrl: string | null;
  filesTotal: number;
  filesSucceeded: number;
  filesFailed: number;
  filesSkipped: number;
  filesCancelled: number;
  quarantinedLines: number;
  outputFiles: string[];
  /** A direct_to_bigquery job's tables once loaded: rows loaded and in each table, errors. */
  load?: LoadReport;
}

/** One job of `GET /api/pipeline/history`. */
export interface HistoryItem {
  jobId: string;
  dataflowJobId: string | null;
  sourceType: string;
  sourceDataset: string;
  selectedPaths: string[];
  processType: string;
  targetBucket: string;
  outputPrefix: string;
  status: JobStatus;
  createdAt: string;
  completedAt: string | null;
  durationSeconds: number | null;
  recordsProcessed: number;
  bytesProcessed: number;
  outputFiles: string[];
  outputShards: number;
}

/** The job's status as the predecessor's monitor polls it. */
export function toStatusResponse(job: JobRecord, now: Date): StatusResponse {
  const { progress, plan } = job;
  const elapsed = secondsBetween(job.createdAt, job.completedAt ?? now);
  const working = secondsBetween(job.startedAt ?? job.createdAt, job.completedAt ?? now);
  return {
    jobId: job.jobId,
    dataflowJobId: job.dataflowJobId,
    status: job.status,
    progress: percentDone(job),
    recordsProcessed: progress.records,
    recordsTotal: recordsTotal(job),
    bytesRead: progress.bytesRead,
    bytesTotal: plan.bytesTotal,
    elapsedSeconds: Math.floor(elapsed),
    estimatedSecondsRemaining: secondsRemaining(job, working),
    throughputRecordsPerSec: working > 0 ? round1(progress.records / working) : 0,
    stages: job.stages,
    createdAt: job.createdAt.toISOString(),
    completedAt: job.completedAt?.toISOString() ?? null,
    errorMessage: job.errorMessage,
    outputLocation: job.outputLocation,
    dataflowUrl: job.dataflowUrl,
    filesTotal: plan.files,
    filesSucceeded: progress.succeeded,
    filesFailed: progress.failed,
    filesSkipped: plan.skipped + (progress.skipped ?? 0),
    filesCancelled: progress.cancelled,
    quarantinedLines: progress.quarantinedLines,
    outputFiles: job.outputFiles,
    ...(job.load ? { load: job.load } : {}),
  };
}

/** The job as a line of the history list. */
export function toHistoryItem(job: JobRecord): HistoryItem {
  return {
    jobId: job.jobId,
    dataflowJobId: job.dataflowJobId,
    sourceType: job.sourceType,
    sourceDataset: job.sourceDataset,
    selectedPaths: job.selectedPaths,
    processType: job.processType,
    targetBucket: job.targetBucket,
    outputPrefix: job.outputPrefix,
    status: job.status,
    createdAt: job.createdAt.toISOString(),
    completedAt: job.completedAt?.toISOString() ?? null,
    durationSeconds: job.completedAt
      ? Math.round(secondsBetween(job.createdAt, job.completedAt))
      : null,
    recordsProcessed: job.progress.records,
    bytesProcessed: job.progress.bytesRead,
    outputFiles: job.outputFiles,
    outputShards: job.outputShards,
  };
}

/** `GET /api/pipeline/{jobId}/logs`: `[2024-01-19T12:00:00Z] Pipeline submitted`, oldest first. */
export function toLogsResponse(entries: readonly JobLogEntry[]): { logs: string[] } {
  return {
    logs: entries.map(
      ({ time, message }) => `[${time.toISOString().replace(/\.\d+Z$/, 'Z')}] ${message}`,
    ),
  };
}

function percentDone(job: JobRecord): number {
  if (job.status === 'completed') return 100;
  if (job.plan.files === 0) return 0;
  const percent = Math.floor((filesDone(job.progress) * 100) / job.plan.files);
  // 100 would tell the monitor the job is over while its output is still being finalized.
  return Math.min(percent, FINAL_JOB_STATUSES.includes(job.status) ? 100 : 99);
}

function recordsTotal(job: JobRecord): number {
  const { progress, plan } = job;
  if (isOver(job) || progress.bytesRead === 0) return progress.records;
  return Math.round((progress.records * plan.bytesTotal) / progress.bytesRead);
}

function secondsRemaining(job: JobRecord, workingSeconds: number): number | null {
  if (FINAL_JOB_STATUSES.includes(job.status)) return 0;
  const { bytesRead } = job.progress;
  // Once every file is done only finalizing is left, and nothing here measures its pace.
  if (isOver(job) || bytesRead === 0 || workingSeconds <= 0) return null;
  const left = Math.max(0, job.plan.bytesTotal - bytesRead);
  return Math.ceil((workingSeconds * left) / bytesRead);
}

/** Every planned file is done, or the job ended. */
function isOver(job: JobRecord): boolean {
  return FINAL_JOB_STATUSES.includes(job.status) || isComplete(job.progress, job.plan.files);
}

function secondsBetween(from: Date, to: Date): number {
  return Math.max(0, (to.getTime() - from.getTime()) / 1000);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { parseInput } from '../../platform/http.js';
import { readJsonObject, type ObjectStore } from '../../platform/ports/object-store.js';
import type { JobManifest } from '../finalize.js';
import {
  FILE_STATES,
  JOB_STATUSES,
  jobIdSchema,
  SUPPORTED_PROCESS_TYPES,
  type FileStatus,
  type JobRecord,
} from '../job-model.js';
import { manifestName } from '../output-names.js';
import { jobOptionsDescription } from '../job-options.js';
import { toHistoryItem, toLogsResponse, toStatusResponse } from '../status/status-view.js';
import { jobWithCurrentProgress } from '../status/current-progress.js';
import {
  FINAL_JOB_STATUSES,
  type FileStatusStore,
  type HistoryCursor,
  type JobStore,
  type ProgressStore,
} from '../stores.js';
import { submitJob, type SubmitDeps, submitRequestSchema } from '../submit.js';
import { cancelJob } from '../workflow-steps.js';

/** What the job routes need. */
export interface PipelineRouteDeps extends SubmitDeps {
  jobStore: JobStore;
  statusStore: FileStatusStore;
  progressStore: ProgressStore;
}

const HISTORY_CURSOR = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?Z)~(\d{1,4})$/;

function parseHistoryCursor(text: string): HistoryCursor {
  const [, time, shown] = HISTORY_CURSOR.exec(text)!;
  return { createdAt: new Date(time!), shown: Number(shown) };
}

/**
 * Where a full page ended, as `<last job's creation time>~<jobs of that millisecond shown so
 * far>`: jobs submitted in one millisecond are neither skipped nor repeated across pages.
 */
function historyCursor(jobs: JobRecord[], before?: HistoryCursor): string {
  const last = jobs.at(-1)!.createdAt;
  const tied = jobs.filter((job) => job.createdAt.getTime() === last.getTime()).length;
  const earlier = before?.createdAt.getTime() === last.getTime() ? before.shown : 0;
  return `${last.toISOString()}~${earlier + tied}`;
}

const jobIdParam = z.object({ jobId: jobIdSchema });
const historyQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  status: z.enum(JOB_STATUSES).optional(),
  processType: z.enum(SUPPORTED_PROCESS_TYPES).optional(),
  /** The `next` of the previous page. */
  before: z
    .string()
    .regex(HISTORY_CURSOR, 'must be the `next` of a history page: <ISO time>~<count>')
    .transform(parseHistoryCursor)
    .optional(),
});
const filesQuery = z.object({
  state: z.enum(FILE_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const logsQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) });
const manifestQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The predecessor's job API: submit, status, logs, cancel, history, plus per-file status. */
export function pipelineRoutes(deps: PipelineRouteDeps): Router {
  const router = Router();
  const jobId = (params: unknown) => parseInput(jobIdParam, params, 'path').jobId;

  router.post('/api/pipeline/submit', async (req, res) => {
    const request = parseInput(submitRequestSchema, req.body ?? {}, 'job request');
    res.status(201).json(await submitJob(deps, request));
  });

  router.get('/api/pipeline/options', (_req, res) => {
    res.json(jobOptionsDescription());
  });

  router.get('/api/pipeline/history', async (req, res) => {
    const query = parseInput(historyQuery, req.query, 'query');
    const jobs = await deps.jobStore.history(query);
    // A full page may have more behind it: `next` asks for them.
    const next = jobs.length === query.limit ? historyCursor(jobs, query.before) : null;
    res.json({ jobs: jobs.map(toHistoryItem), next });
  });

  router.get('/api/pipeline/:jobId/status', async (req, res) => {
    const job = await jobWithCurrentProgress(deps, jobId(req.params));
    res.json(toStatusResponse(job, deps.now()));
  });

  router.get('/api/pipeline/:jobId/logs', async (req, res) => {
    const id = jobId(req.params);
    const { limit } = parseInput(logsQuery, req.query, 'query');
    await deps.jobStore.get(id);
    res.json(toLogsResponse(await deps.jobStore.logs(id, limit)));
  });

  router.post('/api/pipeline/:jobId/cancel', async (req, res) => {
    await cancelJob(deps, jobId(req.params));
    res.json({ cancelled: true });
  });

  router.get('/api/pipeline/:jobId/files', async (req, res) => {
    const id = jobId(req.params);
    const { state, limit } = parseInput(filesQuery, req.query, 'query');
    await deps.jobStore.get(id);
    const files: FileStatus[] = [];
    for await (const file of deps.statusStore.list(id, state)) {
      if (files.length >= limit) break;
      files.push(file);
    }
    res.json({ files: files.map(fileView) });
  });

  router.get('/api/pipeline/:jobId/manifest', async (req, res) => {
    const job = await deps.jobStore.get(jobId(req.params));
    const { offset, limit } = parseInput(manifestQuery, req.query, 'query');
    const manifest = await readManifest(deps.objectStore, job);
    res.json({
      ...manifest,
      files: manifest.files.slice(offset, offset + limit),
      filesTotal: manifest.files.length,
    });
  });

  return router;
}

/** A finalized job's `_MANIFEST.json`, or JOB.NO_MANIFEST naming what the job is doing. */
async function readManifest(store: ObjectStore, job: JobRecord): Promise<JobManifest> {
  const name = manifestName(job.outputPrefix);
  const manifest = (await readJsonObject(store, job.targetBucket, name)) as JobManifest | undefined;
  if (manifest) return manifest;
  throw new AppError(
    'JOB.NO_MANIFEST',
    'not_found',
    `Job ${job.jobId} has no manifest at gs://${job.targetBucket}/${name}: it is ${job.status}` +
      (FINAL_JOB_STATUSES.includes(job.status)
        ? ': it ended before finalizing, or the object was removed'
        : '; finalize writes it'),
  );
}

function fileView(file: FileStatus) {
  return {
    index: file.index,
    source: `gs://${file.source.bucket}/${file.source.name}`,
    generation: file.source.generation,
    state: file.state,
    attempts: file.attempts,
    error: file.error ?? null,
    skipReason: file.skipReason ?? null,
    output: file.result?.output ?? null,
    lines: file.result?.lines ?? null,
    quarantinedLines: file.result?.quarantinedLines ?? null,
    bytesIn: file.result?.bytesIn ?? null,
    bytesOut: file.result?.bytesOut ?? null,
    updatedAt: file.updatedAt instanceof Date ? file.updatedAt.toISOString() : file.updatedAt,
  };
}

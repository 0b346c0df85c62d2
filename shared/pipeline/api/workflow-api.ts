import { Router, type Express } from 'express';
import { z } from 'zod';
import { httpApp, parseInput } from '../../platform/http.js';
import type { Platform } from '../../platform/platform.js';
import { awaitsLoad, finalizeJob, type FinalizeDeps } from '../finalize.js';
import { jobIdSchema, type JobProgress, type JobRecord } from '../job-model.js';
import { describeWorkflowError } from '../job-workflow.js';
import { recordJobProgress } from '../status/job-status.js';
import { loadJobTables, type LoadDeps } from '../warehouse-load.js';
import {
  failJob,
  MAX_PROGRESS_WAIT_SECONDS,
  pageMessages,
  progressWhenDone,
  type WorkflowStepDeps,
} from '../workflow-steps.js';
import { jobDeps } from './job-deps.js';

const jobIdParam = z.object({ jobId: jobIdSchema });
const pageParams = jobIdParam.extend({ page: z.coerce.number().int().min(0) });
const sliceQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).optional(),
});
const failBody = z.object({ error: z.unknown() });
const progressQuery = z.object({
  /** Wait up to this long for every file to be terminal before answering. */
  waitSeconds: z.coerce.number().min(0).max(MAX_PROGRESS_WAIT_SECONDS).default(0),
});

/** What the workflow reads of a job after a step that may end it. */
function jobOutcome(job: JobRecord) {
  return {
    jobId: job.jobId,
    status: job.status,
    outputFiles: job.outputFiles,
    errorMessage: job.errorMessage,
  };
}

/**
 * The endpoints the job workflow calls, under `/jobs/{jobId}`: slices of plan pages as
 * ready-to-publish messages, progress, finalize, the warehouse load, and recording a failure.
 * They change a job's course, so they are served by the internal `pipeline-workflow` function
 * only, never by the public pipeline API.
 */
export function jobWorkflowRoutes(deps: WorkflowStepDeps & FinalizeDeps & LoadDeps): Router {
  const router = Router();
  const jobId = (params: unknown) => parseInput(jobIdParam, params, 'path').jobId;

  router.get('/jobs/:jobId/pages/:page', async (req, res) => {
    const { jobId: id, page } = parseInput(pageParams, req.params, 'path');
    const slice = parseInput(sliceQuery, req.query, 'query');
    res.json(await pageMessages(deps, id, page, slice));
  });

  router.get('/jobs/:jobId/progress', async (req, res) => {
    const id = jobId(req.params);
    const { waitSeconds } = parseInput(progressQuery, req.query, 'query');
    res.json(await progressWhenDone(deps, id, waitSeconds * 1000));
  });

  router.post('/jobs/:jobId/finalize', async (req, res) => {
    const job = await finalizeJob(deps, jobId(req.params));
    res.json({ ...jobOutcome(job), loadPending: job.status === 'running' && awaitsLoad(job) });
  });

  router.post('/jobs/:jobId/load', async (req, res) => {
    const job = await loadJobTables(deps, jobId(req.params));
    res.json({ ...jobOutcome(job), load: job.load ?? null });
  });

  router.post('/jobs/:jobId/fail', async (req, res) => {
    const id = jobId(req.params);
    const { error } = parseInput(failBody, req.body ?? {}, 'failure');
    const reason = describeWorkflowError(error) ?? 'The job workflow failed';
    const job = await failJob(deps, id, reason);
    res.json({ jobId: id, status: job.status });
  });

  return router;
}

/** The `pipeline-workflow` function: the job workflow's callbacks and nothing else. */
export function createWorkflowApi(platform: Platform): Express {
  const deps = {
    ...platform,
    ...jobDeps(platform),
    filesPerMessage: platform.config.decompressFilesPerMessage,
  };
  return httpApp(
    { logger: platform.logger, origins: [] },
    jobWorkflowRoutes({
      ...deps,
      recordProgress: (id: string, totals: JobProgress) =>
        recordJobProgress(platform.firestore, id, totals, deps.now()),
    }),
  );
}

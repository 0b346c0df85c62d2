import express, { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../http/validate.js';
import { finalizeJob, type FinalizeDeps } from '../jobs/finalize-job.js';
import {
  failJob,
  jobProgress,
  pageMessages,
  type WorkflowStepDeps,
} from '../jobs/job-workflow-steps.js';

const params = z.object({ jobId: z.string().regex(/^[\w-]{1,64}$/, 'is not a job id') });
const pageParams = params.extend({ page: z.coerce.number().int().min(0) });
const failBody = z.object({ error: z.unknown() });

/**
 * The endpoints the job workflow calls (`/api/pipeline/{jobId}/workflow/...`): plan pages as
 * ready-to-publish messages, progress, finalize, and recording a failure.
 */
export function jobWorkflowRoutes(deps: WorkflowStepDeps & FinalizeDeps): Router {
  const router = Router();
  const base = '/api/pipeline/:jobId/workflow';

  router.get(`${base}/pages/:page`, async (req, res) => {
    const { jobId, page } = parseInput(pageParams, req.params, 'path');
    res.json(await pageMessages(deps, jobId, page));
  });

  router.get(`${base}/progress`, async (req, res) => {
    res.json(await jobProgress(deps, parseInput(params, req.params, 'path').jobId));
  });

  router.post(`${base}/finalize`, async (req, res) => {
    const job = await finalizeJob(deps, parseInput(params, req.params, 'path').jobId);
    res.json({
      jobId: job.jobId,
      status: job.status,
      outputFiles: job.outputFiles,
      errorMessage: job.errorMessage,
    });
  });

  router.post(`${base}/fail`, express.json(), async (req, res) => {
    const { jobId } = parseInput(params, req.params, 'path');
    const { error } = parseInput(failBody, req.body ?? {}, 'failure');
    const job = await failJob(deps, jobId, describeWorkflowError(error));
    res.json({ jobId, status: job.status });
  });

  return router;
}

/** A Workflows error map (`{message, code, tags, body}`) as one sentence for errorMessage. */
function describeWorkflowError(error: unknown): string {
  if (typeof error === 'string') return error;
  const parsed = workflowError.safeParse(error);
  if (!parsed.success) return 'The job workflow failed';
  const { message, code, body } = parsed.data;
  return [message, code === undefined ? '' : `(HTTP ${code})`, body?.detail ?? '']
    .filter(Boolean)
    .join(' ');
}

const workflowError = z.object({
  message: z.string().optional(),
  code: z.number().optional(),
  body: z.object({ detail: z.string().optional() }).loose().optional().catch(undefined),
});

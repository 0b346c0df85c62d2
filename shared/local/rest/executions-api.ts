import express, { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../../http/validate.js';
import { toRestExecution } from '../../workflows/execution-json.js';
import type { WorkflowExecutions } from '../../workflows/executions.js';

const createBody = z.object({ argument: z.string().optional() });

/**
 * The Workflows Executions REST shape (`/v1/projects/P/locations/L/workflows/W/executions`)
 * over the local interpreter, so local functions start workflows the way cloud ones do.
 */
export function executionsApi(executions: WorkflowExecutions): Router {
  const router = Router();
  const base = '/v1/projects/:project/locations/:location/workflows/:workflow/executions';

  router.post(base, express.json(), async (req, res) => {
    const body = parseInput(createBody, req.body ?? {}, 'execution');
    const argument = body.argument ? parseArgument(body.argument) : null;
    res.json(toRestExecution(await executions.start(req.params.workflow, argument)));
  });

  router.get(`${base}/:execution`, async (req, res) => {
    res.json(toRestExecution(await executions.get(req.path.slice('/v1/'.length))));
  });

  router.post(`${base}/:execution`, async (req, res, next) => {
    if (!req.path.endsWith(':cancel')) return next();
    const name = req.path.slice('/v1/'.length, -':cancel'.length);
    res.json(toRestExecution(await executions.cancel(name)));
  });

  return router;
}

function parseArgument(argument: string): unknown {
  return parseInput(
    z.string().transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON string' });
        return z.NEVER;
      }
    }),
    argument,
    'argument',
  );
}

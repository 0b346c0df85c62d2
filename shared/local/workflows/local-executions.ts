import path from 'node:path';
import express from 'express';
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { parseInput } from '../../platform/http.js';
import type { Logger } from '../../platform/logging.js';
import {
  type Execution,
  type WorkflowExecutions,
  toRestExecution,
} from '../../platform/ports/executions.js';
import { CancelledError, WorkflowError } from './errors.js';
import { runWorkflow } from './executor.js';
import { parseWorkflow } from './parse.js';
import type { WorkflowProgram } from './program.js';
import type { WorkflowEnvironment, WorkflowHttpRequest, WorkflowHttpResponse } from './runtime.js';

/** Settings for the in-process executions service. */
export interface LocalWorkflowExecutionsOptions {
  /** Folder holding `<workflow>.yaml` files. */
  workflowsDir: string;
  projectId: string;
  location: string;
  environment: Omit<WorkflowEnvironment, 'env'>;
  /**
   * The user environment variables the workflows are deployed with (Cloud Workflows
   * `user_env_vars`), read with `sys.get_env`: for the job workflow, the pipeline API and topic
   * it may use (shared/pipeline/job-workflow.ts).
   */
  userEnv?: Record<string, string>;
  logger?: Logger;
}

interface Running {
  execution: Execution;
  abort: AbortController;
  done: Promise<void>;
}

const WORKFLOW_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * The WorkflowExecutions port run in this process: loads `<workflowsDir>/<workflow>.yaml`
 * once, runs each execution in the background and keeps its state in memory.
 */
export class LocalWorkflowExecutions implements WorkflowExecutions {
  private readonly programs = new Map<string, Promise<WorkflowProgram>>();
  private readonly executions = new Map<string, Running>();

  constructor(private readonly options: LocalWorkflowExecutionsOptions) {}

  /** Starts an execution; resolves once it is ACTIVE. */
  async start(workflow: string, argument: unknown): Promise<Execution> {
    const program = await this.load(workflow);
    const id = randomUUID();
    const { projectId, location } = this.options;
    const execution: Execution = {
      name: `projects/${projectId}/locations/${location}/workflows/${workflow}/executions/${id}`,
      workflow,
      state: 'ACTIVE',
      argument,
      startTime: new Date(),
    };
    const abort = new AbortController();
    const environment = {
      ...this.options.environment,
      env: {
        projectId,
        location,
        workflowId: workflow,
        executionId: id,
        user: { ...this.options.userEnv },
      },
    };
    const done = runWorkflow(program, structuredClone(argument), environment, abort.signal).then(
      (result) => this.finish(execution, { state: 'SUCCEEDED', result }),
      (error: unknown) => this.fail(execution, error),
    );
    this.executions.set(execution.name, { execution, abort, done });
    this.options.logger?.info('workflow execution started', { execution: execution.name });
    return snapshot(execution);
  }

  /** The execution's current state. */
  get(name: string): Promise<Execution> {
    // Inside the executor so an unknown name rejects rather than throws.
    return new Promise((resolve) => resolve(snapshot(this.find(name).execution)));
  }

  /** Cancels an ACTIVE execution; it stops at its next step or sleep. */
  async cancel(name: string): Promise<Execution> {
    const running = this.find(name);
    if (running.execution.state !== 'ACTIVE') {
      throw new AppError(
        'EXECUTION.NOT_ACTIVE',
        'conflict',
        `execution ${name} is already ${running.execution.state}`,
      );
    }
    this.finish(running.execution, { state: 'CANCELLED' });
    running.abort.abort();
    await running.done;
    return snapshot(running.execution);
  }

  /** Cancels every active execution and waits for all of them to stop. */
  async close(): Promise<void> {
    const all = [...this.executions.values()];
    for (const running of all) {
      if (running.execution.state === 'ACTIVE')
        this.finish(running.execution, { state: 'CANCELLED' });
      running.abort.abort();
    }
    await Promise.all(all.map((running) => running.done));
  }

  private find(name: string): Running {
    const running = this.executions.get(name);
    if (!running) throw new AppError('EXECUTION.NOT_FOUND', 'not_found', `no execution ${name}`);
    return running;
  }

  private load(workflow: string): Promise<WorkflowProgram> {
    const cached = this.programs.get(workflow);
    if (cached) return cached;
    const loading = this.readProgram(workflow);
    this.programs.set(workflow, loading);
    loading.catch(() => this.programs.delete(workflow));
    return loading;
  }

  private async readProgram(workflow: string): Promise<WorkflowProgram> {
    const file = path.join(this.options.workflowsDir, `${workflow}.yaml`);
    let text: string;
    try {
      if (!WORKFLOW_NAME.test(workflow)) throw new Error('bad name');
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new AppError('WORKFLOW.NOT_FOUND', 'not_found', `no workflow ${workflow}`, {
        cause: error,
      });
    }
    return parseWorkflow(text, `${workflow}.yaml`);
  }

  private finish(
    execution: Execution,
    outcome: Pick<Execution, 'state' | 'result' | 'error'>,
  ): void {
    // A cancelled execution stays cancelled whatever its last step did.
    if (execution.state !== 'ACTIVE') return;
    Object.assign(execution, outcome, { endTime: new Date() });
    this.options.logger?.info('workflow execution finished', {
      execution: execution.name,
      state: execution.state,
    });
  }

  private fail(execution: Execution, error: unknown): void {
    if (error instanceof CancelledError) return this.finish(execution, { state: 'CANCELLED' });
    const payload =
      error instanceof WorkflowError
        ? error.payload
        : {
            message: error instanceof Error ? error.message : String(error),
            tags: ['SystemError'],
          };
    const context =
      error instanceof WorkflowError && error.stepPath ? `in step ${error.stepPath}` : undefined;
    this.finish(execution, {
      state: 'FAILED',
      error: { payload: JSON.stringify(payload), ...(context ? { context } : {}) },
    });
  }
}

function snapshot(execution: Execution): Execution {
  return structuredClone(execution);
}

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

/**
 * Performs a workflow's HTTP call with fetch. Locally no token is sent: the functions behind
 * the gateway take no credentials, so `auth` (already checked) only matters in the cloud.
 * Rejects only when no answer came (refused, timed out); any status is an answer.
 */
export async function workflowHttp(request: WorkflowHttpRequest): Promise<WorkflowHttpResponse> {
  const url = new URL(request.url);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    url.searchParams.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  const hasBody = request.body !== undefined && request.body !== null;
  const response = await fetch(url, {
    method: request.method.toUpperCase(),
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...request.headers },
    body: hasBody ? bodyOf(request.body) : undefined,
    signal: AbortSignal.timeout(request.timeoutMs ?? 300_000),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json');
  return {
    code: response.status,
    headers: Object.fromEntries(response.headers),
    body: json && text ? (JSON.parse(text) as unknown) : text,
  };
}

function bodyOf(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

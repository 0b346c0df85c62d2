import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors/app-error.js';
import type { Logger } from '../../logging/logger.js';
import type { Execution, WorkflowExecutions } from '../../workflows/executions.js';
import type { WorkflowEnvironment } from './environment.js';
import { CancelledError, WorkflowError } from './errors.js';
import { parseWorkflow } from './parse.js';
import type { WorkflowProgram } from './program.js';
import { runWorkflow } from './run.js';

/** Settings for the in-process executions service. */
export interface LocalWorkflowExecutionsOptions {
  /** Folder holding `<workflow>.yaml` files. */
  workflowsDir: string;
  projectId: string;
  location: string;
  environment: Omit<WorkflowEnvironment, 'env'>;
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
      env: { projectId, location, workflowId: workflow, executionId: id },
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

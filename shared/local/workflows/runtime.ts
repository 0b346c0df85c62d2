import { runtimeError } from './errors.js';
import { type EvalContext, render, type Template } from './expressions/evaluate.js';
import type { StepList, WorkflowProgram } from './program.js';
import { callStdFunction } from './stdlib.js';
import type { WorkflowMap } from './values.js';

/**
 * A call's `auth`: Cloud Workflows adds a token of the workflow's service account, an ID token
 * for `audience` (OIDC; the URL itself when no audience is given) or an access token (OAuth2).
 */
export interface WorkflowHttpAuth {
  type: 'OIDC' | 'OAuth2';
  audience?: string;
  scopes?: string[];
}

/** An HTTP request as the `http.*` calls pass it to the environment. */
export interface WorkflowHttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
  timeoutMs?: number;
  auth?: WorkflowHttpAuth;
}

/** An HTTP response; a string or bytes body with a JSON content type is parsed by the caller. */
export interface WorkflowHttpResponse {
  code: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Everything a running workflow touches outside itself. */
export interface WorkflowEnvironment {
  /** Sends a request; throws on connection failure (an error named TimeoutError on timeout). */
  http(request: WorkflowHttpRequest): Promise<WorkflowHttpResponse>;
  /** Publishes to `projects/P/topics/T`; returns the message ids. */
  publish(
    topic: string,
    messages: { data: string; attributes?: Record<string, string> }[],
  ): Promise<string[]>;
  /** Waits `ms`; should reject early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  log(severity: string, payload: unknown): void;
  /** Epoch milliseconds. */
  now(): number;
  env: {
    projectId: string;
    location: string;
    workflowId: string;
    executionId: string;
    /** The workflow's user environment variables (Cloud Workflows `user_env_vars`). */
    user?: Record<string, string>;
  };
}

/**
 * The variables `sys.get_env` reads: the workflow's user variables and the built-in ones, by
 * their Cloud Workflows names (a user variable cannot replace a built-in one).
 */
export function workflowEnvVariables(environment: WorkflowEnvironment): Record<string, string> {
  const { env } = environment;
  return {
    ...env.user,
    GOOGLE_CLOUD_PROJECT_ID: env.projectId,
    GOOGLE_CLOUD_LOCATION: env.location,
    GOOGLE_CLOUD_WORKFLOW_ID: env.workflowId,
    GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID: env.executionId,
  };
}

/**
 * Variables of a subworkflow, a loop iteration or a parallel branch. Reads see enclosing
 * scopes; a branch may only write enclosing variables it declared `shared`.
 */
export class Scope {
  private readonly vars = new Map<string, unknown>();

  constructor(
    private readonly parent?: Scope,
    private readonly shared?: ReadonlySet<string>,
  ) {}

  /** True when the variable is visible here. */
  has(name: string): boolean {
    return this.vars.has(name) || (this.parent?.has(name) ?? false);
  }

  /** The variable's value, or a KeyError. */
  get(name: string): unknown {
    if (this.vars.has(name)) return this.vars.get(name);
    if (this.parent) return this.parent.get(name);
    throw runtimeError('KeyError', `key not found: ${name}`);
  }

  /** Creates or replaces a variable in this scope only (loop values, parameters). */
  define(name: string, value: unknown): void {
    this.vars.set(name, value);
  }

  /** Assigns where the variable lives, or creates it here. */
  set(name: string, value: unknown): void {
    this.owner(name).vars.set(name, value);
  }

  /** The scope a write to `name` goes to. */
  private owner(name: string): Scope {
    if (this.vars.has(name) || !this.parent?.has(name)) return this;
    if (this.shared && !this.shared.has(name)) {
      throw runtimeError(
        'TypeError',
        `variable "${name}" is assigned in a parallel branch but is not listed in shared`,
      );
    }
    return this.parent.owner(name);
  }
}

/** How a step or a list of steps finished. */
export type Outcome =
  | { kind: 'next' }
  | { kind: 'jump'; target: string }
  | { kind: 'break' }
  | { kind: 'continue' }
  | { kind: 'end' }
  | { kind: 'return'; value: unknown };

/** One execution: the program, the outside world and the step runners. */
export interface Runtime {
  program: WorkflowProgram;
  environment: WorkflowEnvironment;
  /** Steps run so far, against Cloud Workflows' per-execution limit. */
  stepsRun: number;
  runSteps(list: StepList, frame: Frame): Promise<Outcome>;
  callSubworkflow(name: string, args: WorkflowMap, frame: Frame): Promise<unknown>;
}

/** Where a step runs: its variables, its cancellation signal and the call depth. */
export interface Frame {
  rt: Runtime;
  scope: Scope;
  signal: AbortSignal;
  depth: number;
}

/** The expression context for a frame: its variables and the standard library. */
export function evalContext(frame: Frame): EvalContext {
  const { environment } = frame.rt;
  const host = {
    now: () => environment.now(),
    env: workflowEnvVariables(environment),
  };
  return {
    variable: (name) => frame.scope.get(name),
    call: (name, args) => callStdFunction(name, args, host),
  };
}

/** Evaluates a template in a frame. */
export function renderIn(frame: Frame, template: Template): unknown {
  return render(template, evalContext(frame));
}

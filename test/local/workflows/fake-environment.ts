import { runWorkflow } from '../../../shared/local/workflows/executor.js';
import { parseWorkflow } from '../../../shared/local/workflows/parse.js';
import type {
  WorkflowEnvironment,
  WorkflowHttpRequest,
  WorkflowHttpResponse,
} from '../../../shared/local/workflows/runtime.js';

/** An in-memory environment that records what a workflow did. */
export interface FakeEnvironment extends WorkflowEnvironment {
  sleeps: number[];
  requests: WorkflowHttpRequest[];
  published: { topic: string; messages: { data: string; attributes?: Record<string, string> }[] }[];
  logs: { severity: string; payload: unknown }[];
}

type HttpHandler = (request: WorkflowHttpRequest) => Promise<WorkflowHttpResponse>;

/** A fake environment; `http` answers 200 `{}` unless a handler is given. Sleeps are instant. */
export function fakeEnvironment(http?: HttpHandler): FakeEnvironment {
  let clock = 1_700_000_000_000;
  const environment: FakeEnvironment = {
    sleeps: [],
    requests: [],
    published: [],
    logs: [],
    http: async (request) => {
      environment.requests.push(request);
      return http ? http(request) : { code: 200, headers: {}, body: {} };
    },
    publish: (topic, messages) => {
      environment.published.push({ topic, messages });
      return Promise.resolve(messages.map((_, i) => `m-${environment.published.length}-${i}`));
    },
    sleep: (ms) => {
      environment.sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    log: (severity, payload) => environment.logs.push({ severity, payload }),
    now: () => clock,
    env: { projectId: 'p1', location: 'europe-west2', workflowId: 'wf', executionId: 'x1' },
  };
  return environment;
}

/** Parses and runs YAML in one go. */
export function runYaml(
  yaml: string,
  argument: unknown = null,
  environment: WorkflowEnvironment = fakeEnvironment(),
  signal?: AbortSignal,
): Promise<unknown> {
  return runWorkflow(parseWorkflow(yaml, 'test.yaml'), argument, environment, signal);
}

/** Runs YAML and resolves to the raised payload; fails if the workflow succeeds. */
export async function raisedBy(
  yaml: string,
  argument: unknown = null,
  environment?: WorkflowEnvironment,
): Promise<unknown> {
  try {
    await runYaml(yaml, argument, environment);
  } catch (error) {
    return (error as { payload?: unknown }).payload;
  }
  throw new Error('workflow did not raise');
}

/** A real-time sleep that rejects as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    });
  });
}

import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LocalWorkflowExecutions,
  workflowHttp,
} from '../../../shared/local/workflows/local-executions.js';
import type {
  WorkflowHttpRequest,
  WorkflowHttpResponse,
} from '../../../shared/local/workflows/runtime.js';
import {
  describeJobFailedNotice,
  isJobFailedNotice,
  jobFailedNoticeSchema,
  jobWorkflowEnv,
} from '../../../shared/pipeline/job-workflow.js';
import type { Execution } from '../../../shared/platform/ports/executions.js';
import { fakeEnvironment, type FakeEnvironment, runYaml } from './fake-environment.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CALLBACKS = 'https://pipeline-workflow-123456.europe-west2.run.app';
const JOB_URL = `${CALLBACKS}/jobs/job-1`;
const TOPIC = 'projects/p1/topics/files';
const USER_ENV = jobWorkflowEnv({ callbackUrl: CALLBACKS, decompressTopic: 'files' });

let yaml: string;
beforeAll(async () => {
  yaml = await readFile(path.join(ROOT, 'workflows/decompress-job.yaml'), 'utf8');
});

/** The argument submit.ts builds, for this deployment unless `change` says otherwise. */
function argument(change: Record<string, unknown> = {}) {
  return {
    jobId: 'job-1',
    jobUrl: JOB_URL,
    topic: TOPIC,
    pages: 2,
    maxConcurrency: 0,
    pollSeconds: 5,
    timeoutSeconds: 3600,
    ...change,
  };
}

const json = (body: unknown, code = 200): WorkflowHttpResponse => ({
  code,
  headers: { 'content-type': 'application/json' },
  body,
});

/** Callbacks answering the workflow's calls; `refuse` answers those paths with 401. */
function callbacks(refuse: (path: string) => boolean = () => false) {
  return (request: WorkflowHttpRequest): Promise<WorkflowHttpResponse> => {
    const url = new URL(request.url);
    if (refuse(url.pathname)) return Promise.resolve(json({ detail: 'Unauthorized' }, 401));
    if (url.pathname.endsWith('/progress')) {
      return Promise.resolve(json({ cancelled: false, done: true, terminal: 2, total: 2 }));
    }
    if (/\/pages\/\d+$/.test(url.pathname)) {
      return Promise.resolve(
        json({ cancelled: false, messages: [{ data: 'e30=' }], files: 1, next: null }),
      );
    }
    return Promise.resolve(json({ status: 'completed' }));
  };
}

function environment(refuse?: (path: string) => boolean): FakeEnvironment {
  const env = fakeEnvironment(callbacks(refuse));
  env.env.user = USER_ENV;
  return env;
}

async function raised(env: FakeEnvironment, arg: unknown): Promise<Record<string, unknown>> {
  try {
    await runYaml(yaml, arg, env);
  } catch (error) {
    return (error as { payload: Record<string, unknown> }).payload;
  }
  throw new Error('the workflow did not raise');
}

describe('workflows/decompress-job.yaml', () => {
  it('calls only its deployment’s callback function, each time with an ID token for its root URL', async () => {
    const env = environment();
    expect(await runYaml(yaml, argument(), env)).toEqual({ status: 'completed' });
    // Two pages with no worker limit: each page at once, then the wait for the files.
    expect(env.requests.map((r) => r.url.slice(JOB_URL.length + 1))).toEqual([
      'pages/0',
      'pages/1',
      'progress',
      'finalize',
    ]);
    for (const request of env.requests) {
      expect(request.url.startsWith(`${JOB_URL}/`), request.url).toBe(true);
      expect(request.auth).toEqual({ type: 'OIDC', audience: CALLBACKS });
    }
    expect(env.published.map((p) => p.topic)).toEqual([TOPIC, TOPIC]);
  });

  it.each([
    ['a foreign jobUrl', { jobUrl: 'http://127.0.0.1:1/steal' }, 'jobUrl'],
    ['a jobUrl for another job', { jobUrl: `${CALLBACKS}/jobs/job-2` }, 'jobUrl'],
    [
      'the public pipeline API as jobUrl',
      { jobUrl: 'https://pipeline-api-123456.europe-west2.run.app/api/pipeline/job-1/workflow' },
      'jobUrl',
    ],
    ['a foreign topic', { topic: 'projects/elsewhere/topics/files' }, 'topic'],
    ['a job id that is a path', { jobId: '../../submit?x=', jobUrl: undefined }, 'job id'],
  ])(
    'refuses an execution with %s before calling or publishing anything',
    async (_l, change, what) => {
      const env = environment();
      const payload = await raised(env, argument(change));
      expect(payload).toMatchObject({ code: 400 });
      expect(String(payload.message)).toMatch(new RegExp(`^Refused: .*${what}`));
      expect(env.requests).toEqual([]);
      expect(env.published).toEqual([]);
    },
  );

  it('runs without a jobUrl in its argument, deriving it from the deployment', async () => {
    const env = environment();
    await runYaml(yaml, argument({ jobUrl: undefined, topic: undefined }), env);
    // Without a worker limit there is no room to wait for: the first call asks for page 0.
    expect(env.requests[0]?.url).toBe(`${JOB_URL}/pages/0`);
  });

  it('refuses to run when deployed without its environment', async () => {
    const env = fakeEnvironment(callbacks());
    const payload = await raised(env, argument());
    expect(String(payload.message)).toContain('CHIMERA_WORKFLOW_CALLBACK_URL');
    expect(env.requests).toEqual([]);
  });

  it('reports a failure to its callbacks, and sends no notice when that works', async () => {
    const env = environment((p) => /\/pages\/\d+$/.test(p));
    const payload = await raised(env, argument());
    expect(payload).toMatchObject({ code: 401 });
    expect(env.requests.at(-1)?.url).toBe(`${JOB_URL}/fail`);
    expect(env.published).toEqual([]);
  });

  it('when its callbacks refuse it (401), ends the job failed through the topic', async () => {
    const env = environment(() => true);
    const payload = await raised(env, argument());
    expect(payload).toMatchObject({ code: 401 });
    // 401 is not retried: one page request, one failure report, both refused.
    expect(
      env.requests.map((r) => new URL(r.url).pathname.replace(/^.*\/jobs\/job-1\//, '')),
    ).toEqual(['pages/0', 'fail']);
    expect(env.published).toHaveLength(1);
    const [message] = env.published[0]?.messages ?? [];
    expect(env.published[0]?.topic).toBe(TOPIC);
    expect(message?.attributes).toEqual({ jobId: 'job-1', kind: 'job-failed' });
    const body = JSON.parse(Buffer.from(message?.data ?? '', 'base64').toString()) as unknown;
    expect(isJobFailedNotice(body)).toBe(true);
    const notice = jobFailedNoticeSchema.parse(body);
    expect(notice.jobId).toBe('job-1');
    expect(describeJobFailedNotice(notice)).toBe(
      'HTTP server responded with error code 401 (HTTP 401) Unauthorized; reporting it to the ' +
        "job's callbacks failed too: HTTP server responded with error code 401 (HTTP 401) Unauthorized",
    );
  });
});

/**
 * Callbacks over a plan of `pages` pages of `pageSize` files, where one published file finishes
 * at each progress call; records the most files ever published and unfinished.
 */
function throttledJob(pages: number, pageSize: number) {
  const published: number[] = [];
  let terminal = 0;
  let mostUnfinished = 0;
  const environment = fakeEnvironment((request) => {
    const url = new URL(request.url);
    const unfinished = () => published.length - terminal;
    if (url.pathname.endsWith('/progress')) {
      if (unfinished() > 0) terminal += 1;
      const done = terminal === pages * pageSize;
      return Promise.resolve(json({ cancelled: false, done, terminal, total: pages * pageSize }));
    }
    const page = /\/pages\/(\d+)$/.exec(url.pathname);
    if (page) {
      const offset = Number(request.query?.offset ?? 0);
      const end = Math.min(pageSize, offset + Number(request.query?.limit ?? pageSize));
      const first = Number(page[1]) * pageSize;
      const messages = Array.from({ length: end - offset }, (_, i) => ({
        data: 'e30=',
        attributes: { index: String(first + offset + i) },
      }));
      return Promise.resolve(
        json({
          cancelled: false,
          messages,
          files: messages.length,
          next: end < pageSize ? end : null,
        }),
      );
    }
    return Promise.resolve(json({ status: 'completed' }));
  });
  environment.env.user = USER_ENV;
  const origin = environment.publish.bind(environment);
  environment.publish = (topic, messages) => {
    published.push(...messages.map((m) => Number(m.attributes?.index)));
    mostUnfinished = Math.max(mostUnfinished, published.length - terminal);
    return origin(topic, messages);
  };
  return { environment, published, mostUnfinished: () => mostUnfinished };
}

describe('the job workflow’s concurrency bound', () => {
  it.each([1, 2, 3])(
    'with maxConcurrency %i never has more published files unfinished, and publishes each once',
    async (limit) => {
      const job = throttledJob(2, 5);
      const result = await runYaml(
        yaml,
        argument({ maxConcurrency: limit, pages: 2 }),
        job.environment,
      );
      expect(result).toEqual({ status: 'completed' });
      expect(job.mostUnfinished()).toBe(limit);
      expect(job.published).toEqual(Array.from({ length: 10 }, (_, i) => i));
    },
  );

  it('with no limit (0) publishes each page in one slice', async () => {
    const job = throttledJob(2, 5);
    await runYaml(yaml, argument({ maxConcurrency: 0, pages: 2 }), job.environment);
    expect(job.environment.published.map((p) => p.messages.length)).toEqual([5, 5]);
    expect(job.published).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });
});

describe('the job workflow run by LocalWorkflowExecutions', () => {
  let server: http.Server;
  let hits = 0;
  let base: string;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      hits++;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function settled(executions: LocalWorkflowExecutions, name: string): Promise<Execution> {
    for (;;) {
      const execution = await executions.get(name);
      if (execution.state !== 'ACTIVE') return execution;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  it('refuses a foreign jobUrl: the execution fails and the URL is never called', async () => {
    const executions = new LocalWorkflowExecutions({
      workflowsDir: path.join(ROOT, 'workflows'),
      projectId: 'p1',
      location: 'europe-west2',
      userEnv: jobWorkflowEnv({ callbackUrl: 'http://127.0.0.1:9', decompressTopic: 'files' }),
      environment: { ...fakeEnvironment(), http: workflowHttp },
    });
    try {
      const started = await executions.start(
        'decompress-job',
        argument({ jobUrl: `${base}/jobs/job-1`, topic: TOPIC }),
      );
      const done = await settled(executions, started.name);
      expect(done.state).toBe('FAILED');
      expect(JSON.parse(done.error?.payload ?? '{}')).toMatchObject({
        code: 400,
        message: expect.stringMatching(/^Refused: jobUrl/) as unknown,
      });
      expect(hits).toBe(0);
    } finally {
      await executions.close();
    }
  });
});

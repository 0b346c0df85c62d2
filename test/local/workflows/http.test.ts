import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  WorkflowEnvironment,
  WorkflowHttpRequest,
  WorkflowHttpResponse,
} from '../../../shared/local/workflows/runtime.js';
import { fakeEnvironment, raisedBy, runYaml } from './fake-environment.js';

/** A fetch-based `http` for the environment, as a local runtime would provide. */
async function fetchHttp(request: WorkflowHttpRequest): Promise<WorkflowHttpResponse> {
  const url = new URL(request.url);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    url.searchParams.set(key, String(value));
  }
  const json = request.body !== undefined && typeof request.body !== 'string';
  const response = await fetch(url, {
    method: request.method,
    headers: { ...(json ? { 'Content-Type': 'application/json' } : {}), ...request.headers },
    body: json ? JSON.stringify(request.body) : (request.body as string | undefined),
    signal: request.timeoutMs ? AbortSignal.timeout(request.timeoutMs) : undefined,
  });
  return {
    code: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    body: await response.text(),
  };
}

function realEnvironment(): WorkflowEnvironment {
  return { ...fakeEnvironment(), http: fetchHttp };
}

describe('http calls against a real server', () => {
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        if (url.pathname === '/slow') {
          setTimeout(() => res.end('late'), 500);
          return;
        }
        const status = Number(url.searchParams.get('status') ?? 200);
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            method: req.method,
            echo: chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as unknown) : null,
            key: req.headers['x-key'] ?? null,
            page: url.searchParams.get('page'),
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts JSON and parses the JSON response', async () => {
    const result = await runYaml(
      `
main:
  params: [args]
  steps:
    - send:
        call: http.post
        args:
          url: \${args.base + "/jobs"}
          headers:
            X-Key: k1
          query:
            page: 2
          body:
            files: [a, b]
          auth:
            type: OIDC
        result: response
    - done:
        return: \${[response.code, response.body]}
`,
      { base },
      realEnvironment(),
    );
    expect(result).toEqual([
      200,
      { method: 'POST', echo: { files: ['a', 'b'] }, key: 'k1', page: '2' },
    ]);
  });

  it('raises an HttpError map for a non-2xx status', async () => {
    const payload = await raisedBy(
      `
main:
  params: [args]
  steps:
    - send:
        call: http.request
        args:
          method: DELETE
          url: \${args.base + "/x?status=404"}
`,
      { base },
      realEnvironment(),
    );
    expect(payload).toMatchObject({
      code: 404,
      message: 'HTTP server responded with error code 404',
      body: { method: 'DELETE' },
      headers: { 'content-type': 'application/json' },
      tags: ['HttpError'],
    });
  });

  it.each([
    ['a refused connection', 'http://127.0.0.1:1/', 'ConnectionError'],
    ['a timeout', '/slow', 'TimeoutError'],
  ])('raises for %s', async (_name, url, tag) => {
    const payload = (await raisedBy(
      `
main:
  params: [args]
  steps:
    - send:
        call: http.get
        args:
          url: \${args.url}
          timeout: 0.1
`,
      { url: url.startsWith('/') ? base + url : url },
      realEnvironment(),
    )) as { tags: string[] };
    expect(payload.tags).toContain(tag);
  });
});

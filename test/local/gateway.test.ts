import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFunction, routesFor, Gateway } from '../../shared/local/gateway.js';
import { loadConfig } from '../../shared/platform/config.js';
import { deployedFunctions } from '../../shared/platform/functions.js';
import { rawRequest } from '../support/raw-http.js';

describe('local gateway', () => {
  const gateway = new Gateway();
  let url: string;

  beforeAll(async () => {
    url = await gateway.listen(0);
    for (const spec of deployedFunctions(loadConfig({})).filter((f) => f.trigger.kind === 'http')) {
      gateway.add(...routesFor(spec, await loadFunction(spec)));
    }
    gateway.markReady();
  });
  afterAll(() => gateway.close());

  it('answers GET /health in the predecessor shape', async () => {
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'healthy',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/) as string,
      project: 'chimera-local',
    });
  });

  it('serves a function on its cloud-style URL too', async () => {
    const response = await fetch(`${url}/pipeline-api/health`);
    expect(await response.json()).toMatchObject({ status: 'healthy' });
  });

  it.each([
    ['/health', 'pipeline-api'],
    ['/api/pipeline/2024-01-19-abc12345/status', 'pipeline-api'],
    ['/api/gcp/buckets/check/x', 'pipeline-api'],
    ['/healthz', undefined],
    ['/nowhere', undefined],
    ['/', 'web'],
    ['/assets/app.js', 'web'],
  ])('routes %s to %s by longest prefix on segment boundaries', (path, target) => {
    expect(gateway.targetOf(path)).toBe(target);
  });

  it('answers an unknown path with a 404 detail', async () => {
    const response = await fetch(`${url}/nowhere`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      detail: 'Nothing serves GET /nowhere',
      code: 'REQUEST.NO_ROUTE',
    });
  });

  it('answers an unknown route inside a function with its own 404 detail', async () => {
    const response = await fetch(`${url}/api/pipeline/nope`, { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      detail: expect.stringContaining('/api/pipeline/nope') as string,
    });
  });
});

describe('a gateway opened deliberately (HOST, ALLOWED_HOSTS)', () => {
  const gateway = new Gateway({ allowedHosts: ['my-laptop.lan'] });
  let url: string;

  beforeAll(async () => {
    // 127.0.0.2 is loopback too, so the test opens nothing to the network.
    url = await gateway.listen(0, '127.0.0.2');
    gateway.add({
      prefix: '/ping',
      strip: false,
      target: 'ping',
      handle: (_req, res) => res.end('pong'),
      access: 'public',
      httpFunction: false,
    });
    gateway.markReady();
  });
  afterAll(() => gateway.close());

  it.each([
    ['its listen address', (port: string) => `127.0.0.2:${port}`, 200],
    ['a name in ALLOWED_HOSTS', (port: string) => `my-laptop.lan:${port}`, 200],
    ['localhost', () => 'localhost', 200],
    ['any other name', (port: string) => `evil.example:${port}`, 403],
  ])('answers to %s', async (_what, host, status) => {
    const answer = await rawRequest(url, {
      path: '/ping',
      headers: { host: host(new URL(url).port) },
    });
    expect(answer.status).toBe(status);
  });
});

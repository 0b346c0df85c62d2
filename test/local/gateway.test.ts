import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFunction, routesFor, Gateway } from '../../shared/local/gateway.js';
import { loadConfig } from '../../shared/platform/config.js';
import { deployedFunctions } from '../../shared/platform/functions.js';

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

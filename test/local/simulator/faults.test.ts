import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startExchangeSimulator,
  type ExchangeSimulator,
} from '../../../shared/local/simulator/server.js';
import { postJson, rpc, rpcErrorCode } from './sim-client.js';

const BOOK = { marketIds: [] };

describe('latency, injected errors and stats', () => {
  let sim: ExchangeSimulator;
  beforeAll(async () => {
    sim = await startExchangeSimulator({
      startTime: '2026-02-13T10:00:00Z',
      latencyMs: 0,
      sessionTimeoutMinutes: null,
    });
  });
  afterAll(() => sim.close());
  const control = (body: unknown) => postJson(`${sim.url}/simulator/control`, body);

  const timed = async () => {
    const started = performance.now();
    await rpc(sim, 'listMarketBook', BOOK);
    return performance.now() - started;
  };

  it('delays answers by a fixed latency, then by one drawn from a range', async () => {
    await control({ latencyMs: 150 });
    expect(await timed()).toBeGreaterThanOrEqual(140);
    await control({ latencyMs: [40, 80] });
    const delays = [await timed(), await timed(), await timed()];
    expect(delays.every((d) => d >= 35 && d < 400)).toBe(true);
    await control({ latencyMs: 0 });
  });

  it('fails exactly the next N calls with the code asked for', async () => {
    const { body } = await control({ failNext: { count: 2, errorCode: 'TOO_MANY_REQUESTS' } });
    expect(body).toMatchObject({ failNext: { count: 2, errorCode: 'TOO_MANY_REQUESTS' } });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push(await rpcErrorCode(sim, 'listMarketBook', BOOK));
    expect(codes).toEqual(['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS', undefined]);
  });

  it('fails calls at a probability, repeatably for a seed', async () => {
    await control({ failRate: { probability: 0.5, errorCode: 'SERVICE_BUSY' } });
    const codes = [];
    for (let i = 0; i < 40; i++) codes.push(await rpcErrorCode(sim, 'listMarketBook', BOOK));
    const busy = codes.filter((c) => c === 'SERVICE_BUSY').length;
    expect(busy).toBeGreaterThan(8);
    expect(busy).toBeLessThan(32);
    await control({ failRate: { probability: 0, errorCode: 'SERVICE_BUSY' } });
    expect(await rpcErrorCode(sim, 'listMarketBook', BOOK)).toBeUndefined();
  });

  it('refuses a malformed control request', async () => {
    expect((await control({ failNext: { count: 1, errorCode: 'NOT_A_CODE' } })).status).toBe(400);
    expect((await control({ latency: 5 })).status).toBe(400);
  });

  it('moves the clock through the control API', async () => {
    const { body } = await control({ clock: { time: '2026-02-14T16:00:00Z' } });
    expect(body).toMatchObject({ now: '2026-02-14T16:00:00.000Z' });
  });

  it('counts requests by method, errors by code and the heaviest weight', async () => {
    await rpc(sim, 'listMarketCatalogue', {
      filter: {},
      marketProjection: ['RUNNER_METADATA'],
      maxResults: 150,
    });
    const stats = (await (await fetch(`${sim.url}/simulator/stats`)).json()) as Record<
      string,
      unknown
    >;
    expect(stats).toMatchObject({
      byMethod: { listMarketCatalogue: 1 },
      maxWeight: 150,
      errors: { TOO_MANY_REQUESTS: 2 },
    });
    expect((stats.errors as Record<string, number>).SERVICE_BUSY).toBeGreaterThan(0);
    await control({ resetStats: true });
    expect(sim.state.stats.snapshot()).toEqual({
      requests: 0,
      byMethod: {},
      maxWeight: 0,
      errors: {},
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startExchangeSimulator,
  type ExchangeSimulator,
} from '../../../shared/local/simulator/server.js';
import { rawRequest } from '../../support/raw-http.js';

describe('the exchange simulator under another host name (DNS rebinding)', () => {
  let sim: ExchangeSimulator;
  beforeAll(async () => {
    sim = await startExchangeSimulator();
  });
  afterAll(() => sim.close());

  it('refuses its control API to a page that reached it through a foreign name', async () => {
    const port = new URL(sim.url).port;
    const request = {
      method: 'POST',
      path: '/simulator/control',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ expireSession: 'ALL' }),
    };
    const foreign = await rawRequest(sim.url, {
      ...request,
      headers: { ...request.headers, host: `evil.example:${port}` },
    });
    expect(foreign.status).toBe(403);
    const own = await rawRequest(sim.url, { ...request, body: JSON.stringify({}) });
    expect(own.status).toBe(200);
  });
});

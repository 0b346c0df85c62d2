import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BetfairClient } from '../../../shared/betfair/client.js';
import {
  startExchangeSimulator,
  type ExchangeSimulator,
} from '../../../shared/local/simulator/server.js';

describe('the project’s Betfair client against the simulator', () => {
  let sim: ExchangeSimulator;
  let client: BetfairClient;
  beforeAll(async () => {
    sim = await startExchangeSimulator({ seed: 4, startTime: '2026-02-13T13:00:00Z' });
    client = new BetfairClient({
      appKey: sim.appKey,
      sessionToken: sim.sessionToken,
      endpoint: `${sim.url}/exchange/betting/json-rpc/v1`,
      identityEndpoint: `${sim.identityUrl}/api`,
      retryMinTimeoutMs: 1,
      retryMaxTimeoutMs: 5,
    });
  });
  afterAll(() => sim.close());

  it('records a whole poll without ever exceeding the weight limit', async () => {
    const catalogue = await client.listMarketCatalogue(
      { eventTypeIds: ['7'], marketCountries: ['GB', 'IE'] },
      {
        marketProjection: ['EVENT', 'MARKET_START_TIME', 'MARKET_DESCRIPTION', 'RUNNER_METADATA'],
        maxResults: 1000,
      },
    );
    expect(catalogue.length).toBeGreaterThan(300);
    const books = await client.listMarketBook(
      catalogue.map((m) => m.marketId),
      {
        priceProjection: {
          priceData: ['EX_BEST_OFFERS', 'EX_ALL_OFFERS', 'EX_TRADED', 'SP_AVAILABLE', 'SP_TRADED'],
        },
        virtualise: true,
      },
    );
    expect(books).toHaveLength(catalogue.length);
    const stats = sim.state.stats.snapshot();
    expect(stats.errors).toEqual({});
    expect(stats.maxWeight).toBeLessThanOrEqual(200);
  });

  it('keeps its session alive', async () => {
    expect(await client.keepAlive()).toMatchObject({ status: 'SUCCESS' });
  });

  it('rides out injected SERVICE_BUSY with its retries', async () => {
    sim.control({ failNext: { count: 2, errorCode: 'SERVICE_BUSY' } });
    const books = await client.listMarketBook([
      sim.state.exchange.listedMarkets(sim.state.clock.now())[0]?.marketId ?? '',
    ]);
    expect(books).toHaveLength(1);
    expect(sim.state.stats.snapshot().errors).toMatchObject({ SERVICE_BUSY: 2 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PriceData } from '../../../shared/betfair/vocabulary.js';
import {
  startExchangeSimulator,
  type ExchangeSimulator,
} from '../../../shared/local/simulator/server.js';
import { rpc } from './sim-client.js';

describe('the 200-point limit over HTTP', () => {
  let sim: ExchangeSimulator;
  beforeAll(async () => {
    sim = await startExchangeSimulator({ startTime: '2026-02-13T11:00:00Z' });
  });
  afterAll(() => sim.close());

  const ids = (count: number) =>
    sim.state.exchange
      .listedMarkets(sim.state.clock.now())
      .slice(0, count)
      .map((m) => m.marketId);

  it.each([
    [[], 100],
    [['SP_AVAILABLE'], 66],
    [['SP_TRADED'], 28],
    [['EX_BEST_OFFERS'], 40],
    [['EX_ALL_OFFERS'], 11],
    [['EX_TRADED'], 11],
    [['EX_BEST_OFFERS', 'EX_TRADED'], 10],
    [['EX_ALL_OFFERS', 'EX_TRADED'], 6],
    [['EX_ALL_OFFERS', 'EX_BEST_OFFERS'], 9],
    [['EX_BEST_OFFERS', 'EX_ALL_OFFERS', 'EX_TRADED', 'SP_AVAILABLE', 'SP_TRADED'], 4],
  ] as [PriceData[], number][])(
    'listMarketBook %j: %i markets pass, one more is TOO_MUCH_DATA',
    async (priceData, most) => {
      const params = (count: number) => ({ marketIds: ids(count), priceProjection: { priceData } });
      const ok = await rpc<unknown[]>(sim, 'listMarketBook', params(most));
      expect(ok.error).toBeUndefined();
      expect(ok.result).toHaveLength(most);
      const over = await rpc(sim, 'listMarketBook', params(most + 1));
      expect(over.error?.data?.APINGException.errorCode).toBe('TOO_MUCH_DATA');
      expect(over.error?.message).toBe('ANGX-0001');
    },
  );

  it.each([
    [['MARKET_DESCRIPTION'], 200],
    [['RUNNER_METADATA'], 200],
    [['MARKET_DESCRIPTION', 'RUNNER_METADATA'], 100],
  ] as const)(
    'listMarketCatalogue %j: maxResults %i passes, one more is TOO_MUCH_DATA',
    async (marketProjection, most) => {
      const params = (maxResults: number) => ({ filter: {}, marketProjection, maxResults });
      expect((await rpc(sim, 'listMarketCatalogue', params(most))).error).toBeUndefined();
      const over = await rpc(sim, 'listMarketCatalogue', params(most + 1));
      expect(over.error?.data?.APINGException.errorCode).toBe('TOO_MUCH_DATA');
    },
  );

  it('answers 1000 weightless catalogue markets but refuses maxResults 1001 as INVALID_INPUT_DATA', async () => {
    const ok = await rpc<unknown[]>(sim, 'listMarketCatalogue', {
      filter: {},
      marketProjection: ['EVENT'],
      maxResults: 1000,
    });
    expect(ok.result?.length).toBeGreaterThan(500);
    const over = await rpc(sim, 'listMarketCatalogue', { filter: {}, maxResults: 1001 });
    expect(over.error?.data?.APINGException.errorCode).toBe('INVALID_INPUT_DATA');
  });

  it('refuses 251 marketIds as REQUEST_SIZE_EXCEEDS_LIMIT before weighing them', async () => {
    const many = Array.from({ length: 251 }, (_, i) => `1.${300_000_000 + i}`);
    const over = await rpc(sim, 'listMarketBook', { marketIds: many });
    expect(over.error?.data?.APINGException.errorCode).toBe('REQUEST_SIZE_EXCEEDS_LIMIT');
    const limit = await rpc(sim, 'listMarketBook', { marketIds: many.slice(0, 250) });
    expect(limit.error?.data?.APINGException.errorCode).toBe('TOO_MUCH_DATA');
  });

  it('records the heaviest request it saw', () => {
    expect(sim.state.stats.snapshot().maxWeight).toBe(500);
  });
});

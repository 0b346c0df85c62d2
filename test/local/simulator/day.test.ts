import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOnLadder } from '../../../shared/local/generator/runner-book.js';
import type {
  SimulatedMarketBook as MarketBook,
  SimulatedMarketCatalogue as MarketCatalogue,
} from '../../../shared/local/simulator/market-types.js';
import {
  startExchangeSimulator,
  type ExchangeSimulator,
} from '../../../shared/local/simulator/server.js';
import { rpcResult } from './sim-client.js';

const DAY_START = '2026-02-13T00:00:01Z';

describe('a full racing day', () => {
  let sim: ExchangeSimulator;
  let markets: MarketCatalogue[];
  beforeAll(async () => {
    sim = await startExchangeSimulator({
      seed: 21,
      startTime: DAY_START,
      sessionTimeoutMinutes: null,
    });
    markets = await rpcResult<MarketCatalogue[]>(sim, 'listMarketCatalogue', {
      filter: { eventTypeIds: ['7'] },
      marketProjection: ['EVENT', 'MARKET_START_TIME'],
      maxResults: 1000,
    });
  });
  afterAll(() => sim.close());

  it('lists at least 600 markets at 8–12 GB/IE meetings, races about every half hour', () => {
    expect(markets.length).toBeGreaterThanOrEqual(600);
    const meetings = new Set(
      markets.filter((m) => !m.event?.name.includes('Antepost')).map((m) => m.event?.venue),
    );
    expect(meetings.size).toBeGreaterThanOrEqual(8);
    expect(meetings.size).toBeLessThanOrEqual(12);
    expect(new Set(markets.map((m) => m.event?.countryCode))).toEqual(new Set(['GB', 'IE']));
    const hours = markets.map((m) => new Date(m.marketStartTime ?? '').getUTCHours());
    expect(Math.min(...hours.filter((h) => h > 0))).toBeGreaterThanOrEqual(12);
  });

  it('lists every market type', async () => {
    const types = await rpcResult<MarketCatalogue[]>(sim, 'listMarketCatalogue', {
      filter: {},
      marketProjection: ['MARKET_DESCRIPTION'],
      maxResults: 200,
    });
    const seen = new Set(types.map((m) => m.description?.marketType));
    expect([...seen].sort()).toEqual(['EACH_WAY', 'MATCH_BET', 'OTHER_PLACE', 'PLACE', 'WIN']);
    const antepost = await rpcResult<MarketCatalogue[]>(sim, 'listMarketCatalogue', {
      filter: { marketTypeCodes: ['ANTEPOST_WIN'] },
      maxResults: 10,
    });
    expect(antepost.length).toBeGreaterThan(0);
  });

  it.each(['2026-02-13T11:00:00Z', '2026-02-13T15:31:00Z', '2026-02-13T19:00:00Z'])(
    'quotes on the ladder with back below lay at %s',
    async (time) => {
      sim.setClock(time);
      const ids = markets.map((m) => m.marketId);
      for (let i = 0; i < ids.length; i += 11) {
        const books = await rpcResult<MarketBook[]>(sim, 'listMarketBook', {
          marketIds: ids.slice(i, i + 11),
          priceProjection: { priceData: ['EX_ALL_OFFERS'] },
        });
        for (const runner of books.flatMap((b) => b.runners)) {
          const backs = runner.ex?.availableToBack.map((l) => l.price) ?? [];
          const lays = runner.ex?.availableToLay.map((l) => l.price) ?? [];
          expect([...backs, ...lays].every(isOnLadder)).toBe(true);
          if (backs.length && lays.length)
            expect(Math.max(...backs)).toBeLessThan(Math.min(...lays));
          expect(backs).toEqual([...backs].sort((a, b) => b - a));
        }
      }
    },
  );

  it('gives the same day to the same seed, and another day to another seed', async () => {
    const again = await startExchangeSimulator({ seed: 21, startTime: DAY_START });
    const other = await startExchangeSimulator({ seed: 22, startTime: DAY_START });
    const query = { filter: {}, marketProjection: ['RUNNER_DESCRIPTION'], maxResults: 50 };
    try {
      sim.setClock(DAY_START);
      const mine = await rpcResult(sim, 'listMarketCatalogue', query);
      expect(await rpcResult(again, 'listMarketCatalogue', query)).toEqual(mine);
      expect(await rpcResult(other, 'listMarketCatalogue', query)).not.toEqual(mine);
    } finally {
      await Promise.all([again.close(), other.close()]);
    }
  });
});

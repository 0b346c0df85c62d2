import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedMarketCatalogue as MarketCatalogue } from '../../../shared/local/simulator/market-types.js';
import {
  startExchangeSimulator,
  type ExchangeSimulator,
} from '../../../shared/local/simulator/server.js';
import { racingFilter, rpcResult } from './sim-client.js';

const NOW = '2026-02-13T15:00:00.000Z';

describe('listMarketCatalogue', () => {
  let sim: ExchangeSimulator;
  beforeAll(async () => {
    sim = await startExchangeSimulator({ seed: 11, startTime: NOW });
  });
  afterAll(() => sim.close());

  const catalogue = (params: Record<string, unknown>) =>
    rpcResult<MarketCatalogue[]>(sim, 'listMarketCatalogue', { maxResults: 1000, ...params });

  it.each([
    [{ marketTypeCodes: ['WIN'] }, (m: MarketCatalogue) => m.description?.marketType === 'WIN'],
    [
      { marketTypeCodes: ['MATCH_BET', 'OTHER_PLACE'] },
      (m: MarketCatalogue) =>
        ['MATCH_BET', 'OTHER_PLACE'].includes(m.description?.marketType ?? ''),
    ],
    [{ marketCountries: ['IE'] }, (m: MarketCatalogue) => m.event?.countryCode === 'IE'],
    [
      { turnInPlayEnabled: false },
      (m: MarketCatalogue) => m.description?.turnInPlayEnabled === false,
    ],
    [
      { inPlayOnly: true },
      (m: MarketCatalogue) => Date.parse(m.marketStartTime ?? '') <= Date.parse(NOW),
    ],
  ])('honours the filter %j', async (extra, holds) => {
    const markets = await catalogue({
      filter: racingFilter(extra),
      marketProjection: ['EVENT', 'MARKET_DESCRIPTION', 'MARKET_START_TIME'],
      maxResults: 200,
    });
    expect(markets.length).toBeGreaterThan(0);
    expect(markets.every(holds)).toBe(true);
  });

  it('returns nothing for another sport', async () => {
    expect(await catalogue({ filter: { eventTypeIds: ['1'] } })).toEqual([]);
  });

  it('limits to a start-time window and sorts FIRST_TO_START and LAST_TO_START', async () => {
    const window = { from: NOW, to: '2026-02-13T18:00:00.000Z' };
    const params = {
      filter: racingFilter({ marketStartTime: window }),
      marketProjection: ['MARKET_START_TIME'],
    };
    const first = await catalogue({ ...params, sort: 'FIRST_TO_START' });
    const last = await catalogue({ ...params, sort: 'LAST_TO_START' });
    const times = first.map((m) => m.marketStartTime ?? '');
    expect(times.length).toBeGreaterThan(50);
    expect(times.every((t) => t >= window.from && t <= window.to)).toBe(true);
    expect(times).toEqual([...times].sort());
    expect(last.map((m) => m.marketStartTime)).toEqual([...times].reverse());
  });

  it('sorts MAXIMUM_TRADED and cuts at maxResults given as a string', async () => {
    const markets = await catalogue({
      filter: racingFilter(),
      sort: 'MAXIMUM_TRADED',
      maxResults: '25',
    });
    expect(markets).toHaveLength(25);
    const matched = markets.map((m) => m.totalMatched);
    expect(matched).toEqual([...matched].sort((a, b) => b - a));
  });

  it('adds only what the projections ask for', async () => {
    const [bare] = await catalogue({ filter: racingFilter(), maxResults: 1 });
    expect(Object.keys(bare ?? {}).sort()).toEqual(['marketId', 'marketName', 'totalMatched']);
    const [full] = await catalogue({
      filter: racingFilter({ marketTypeCodes: ['WIN'] }),
      marketProjection: [
        'EVENT',
        'EVENT_TYPE',
        'MARKET_START_TIME',
        'MARKET_DESCRIPTION',
        'RUNNER_METADATA',
      ],
      maxResults: 1,
    });
    expect(full?.eventType).toEqual({ id: '7', name: 'Horse Racing' });
    expect(full?.event?.venue).toBeTruthy();
    const runner = full?.runners?.[0];
    expect(runner?.sortPriority).toBe(1);
    for (const key of [
      'JOCKEY_NAME',
      'TRAINER_NAME',
      'AGE',
      'WEIGHT_VALUE',
      'CLOTH_NUMBER',
      'STALL_DRAW',
      'FORM',
    ]) {
      expect(runner?.metadata).toHaveProperty(key);
    }
  });

  it('lists no CLOSED market, yet listMarketBook still answers for one', async () => {
    const listed = new Set((await catalogue({ filter: racingFilter() })).map((m) => m.marketId));
    const closed = sim.state.exchange
      .listedMarkets(Date.parse('2026-02-13T00:00:00Z'))
      .filter((m) => !listed.has(m.marketId));
    expect(closed.length).toBeGreaterThan(20);
    const books = await rpcResult<{ status: string }[]>(sim, 'listMarketBook', {
      marketIds: closed.slice(0, 50).map((m) => m.marketId),
    });
    expect(books).toHaveLength(50);
    expect(books.every((b) => b.status === 'CLOSED')).toBe(true);
  });

  it('counts the listed markets in listEventTypes', async () => {
    const all = await catalogue({ filter: racingFilter() });
    const types = await rpcResult<{ eventType: { id: string }; marketCount: number }[]>(
      sim,
      'listEventTypes',
      { filter: racingFilter() },
    );
    expect(types).toEqual([
      { eventType: { id: '7', name: 'Horse Racing' }, marketCount: all.length },
    ]);
  });
});

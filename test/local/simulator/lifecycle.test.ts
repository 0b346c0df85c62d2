import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  SimulatedMarketBook as MarketBook,
  SimulatedMarketCatalogue as MarketCatalogue,
} from '../../../shared/local/simulator/market-types.js';
import {
  startExchangeSimulator,
  type ExchangeSimulator,
} from '../../../shared/local/simulator/server.js';
import { racingFilter, rpcResult } from './sim-client.js';

const MINUTE = 60_000;

describe('a race through the day, on the injected clock', () => {
  let sim: ExchangeSimulator;
  let win: MarketCatalogue;
  let place: MarketCatalogue;
  let off: number;
  beforeAll(async () => {
    sim = await startExchangeSimulator({
      seed: 5,
      startTime: '2026-02-13T09:00:00Z',
      sessionTimeoutMinutes: null,
    });
    const markets = await rpcResult<MarketCatalogue[]>(sim, 'listMarketCatalogue', {
      filter: racingFilter({ marketTypeCodes: ['WIN', 'PLACE'] }),
      marketProjection: ['EVENT', 'MARKET_START_TIME', 'MARKET_DESCRIPTION'],
      sort: 'FIRST_TO_START',
      maxResults: 2,
    });
    [win, place] = markets as [MarketCatalogue, MarketCatalogue];
    off = Date.parse(win.marketStartTime ?? '');
  });
  afterAll(() => sim.close());

  const bookAt = async (time: number, marketId = win.marketId): Promise<MarketBook> => {
    sim.setClock(time);
    const [book] = await rpcResult<MarketBook[]>(sim, 'listMarketBook', {
      marketIds: [marketId],
      priceProjection: {
        priceData: ['EX_BEST_OFFERS', 'EX_TRADED', 'SP_TRADED'],
        virtualise: true,
      },
    });
    if (!book) throw new Error(`no book for ${marketId}`);
    return book;
  };
  const listed = async (time: number) => {
    sim.setClock(time);
    const markets = await rpcResult<MarketCatalogue[]>(sim, 'listMarketCatalogue', {
      filter: racingFilter(),
      maxResults: 1000,
    });
    return markets.some((m) => m.marketId === win.marketId);
  };

  it('pairs a WIN and a PLACE market on the same race', () => {
    expect(win.description?.marketType).toBe('WIN');
    expect(place.description?.marketType).toBe('PLACE');
    expect(place.event?.id).toBe(win.event?.id);
  });

  it('goes OPEN → SUSPENDED at the off → OPEN in play → SUSPENDED → CLOSED', async () => {
    const seen: [string, boolean, boolean][] = [];
    for (let t = off - 10 * MINUTE; t <= off + 20 * MINUTE; t += 10_000) {
      const book = await bookAt(t);
      const last = seen.at(-1);
      if (!last || last[0] !== book.status || last[1] !== book.inplay)
        seen.push([book.status, book.inplay, book.bspReconciled]);
    }
    expect(seen).toEqual([
      ['OPEN', false, false],
      ['SUSPENDED', false, false],
      ['OPEN', true, true],
      ['SUSPENDED', true, true],
      ['CLOSED', true, true],
    ]);
  });

  it('moves prices and grows traded volume before the off', async () => {
    const early = await bookAt(off - 120 * MINUTE);
    const late = await bookAt(off - 2 * MINUTE);
    expect(late.totalMatched).toBeGreaterThan(early.totalMatched);
    const bestBacks = (b: MarketBook) => b.runners.map((r) => r.ex?.availableToBack[0]?.price);
    expect(bestBacks(late)).not.toEqual(bestBacks(early));
    for (const runner of late.runners.filter((r) => r.status === 'ACTIVE')) {
      const before = early.runners.find((r) => r.selectionId === runner.selectionId);
      expect(runner.totalMatched ?? 0).toBeGreaterThanOrEqual(before?.totalMatched ?? 0);
    }
  });

  it('settles with one WINNER, an actualSP for every runner that ran, and leaves the catalogue', async () => {
    expect(await listed(off - MINUTE)).toBe(true);
    const closed = await bookAt(off + 30 * MINUTE);
    expect(closed.status).toBe('CLOSED');
    expect(closed.runners.filter((r) => r.status === 'WINNER')).toHaveLength(1);
    const ran = closed.runners.filter((r) => r.status !== 'REMOVED');
    expect(ran.every((r) => r.status === 'WINNER' || r.status === 'LOSER')).toBe(true);
    expect(ran.every((r) => typeof r.sp?.actualSP === 'number' && r.sp.actualSP >= 1.01)).toBe(
      true,
    );
    expect(await listed(off + 30 * MINUTE)).toBe(false);
  });

  it('pays numberOfWinners places on the PLACE market, including the WIN market’s winner', async () => {
    const placed = await bookAt(off + 30 * MINUTE, place.marketId);
    const won = await bookAt(off + 30 * MINUTE);
    const winners = placed.runners.filter((r) => r.status === 'WINNER').map((r) => r.selectionId);
    expect(winners).toHaveLength(Math.min(placed.numberOfWinners, placed.numberOfActiveRunners));
    expect(winners).toContain(won.runners.find((r) => r.status === 'WINNER')?.selectionId);
  });

  it('withdraws non-runners with a removalDate and adjustmentFactor, somewhere on the card', async () => {
    sim.setClock(Date.parse('2026-02-13T23:00:00Z'));
    const wins = sim.state.exchange
      .listedMarkets(Date.parse('2026-02-13T00:00:01Z'))
      .filter((m) => m.marketType === 'WIN');
    const books = await rpcResult<MarketBook[]>(sim, 'listMarketBook', {
      marketIds: wins.slice(0, 100).map((m) => m.marketId),
    });
    const removed = books.flatMap((b) => b.runners).filter((r) => r.status === 'REMOVED');
    expect(removed.length).toBeGreaterThan(0);
    for (const runner of removed) {
      expect(Date.parse(runner.removalDate ?? '')).toBeGreaterThan(0);
      expect(runner.adjustmentFactor).toBeGreaterThan(0);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { type MarketPlan, planMarkets } from '../../../shared/local/generator/markets.js';
import { createRng } from '../../../shared/local/generator/random.js';
import {
  type GeneratedTier as Tier,
  marketStream,
} from '../../../shared/local/generator/stream.js';
import {
  crossedBooks,
  definitions,
  offLadderPrices,
  parseLines,
  runnerChanges,
} from './stream-checks.js';

const markets = planMarkets({
  date: '2022-04-19',
  days: 1,
  meetings: 3,
  racesPerMeeting: 7,
  seed: 7,
});
const stream = (market: MarketPlan, tier: Tier = 'PRO', updates = 120) =>
  parseLines(marketStream({ market, tier, updates, preOffMinutes: 90 }, createRng(42)));

describe('marketStream', () => {
  it.each(markets.slice(0, 12).map((m) => [m.marketId, m.marketType, m] as const))(
    '%s (%s) keeps every price on the ladder and back below lay',
    (_id, _type, market) => {
      const messages = stream(market);
      expect(offLadderPrices(messages)).toEqual([]);
      expect(crossedBooks(messages)).toEqual([]);
    },
  );

  it('opens with the full marketDefinition as an image', () => {
    const [first] = stream(markets[0]!);
    const change = first!.mc[0]!;
    expect(first!.op).toBe('mcm');
    expect(first!.clk).toBe('AAAAAAAA');
    expect(change.img).toBe(true);
    expect(change.marketDefinition).toMatchObject({
      status: 'OPEN',
      inPlay: false,
      eventTypeId: '7',
    });
    expect(change.rc?.length).toBe(change.marketDefinition?.numberOfActiveRunners);
  });

  it('sends the marketDefinition again only when it changes', () => {
    const messages = stream(markets[0]!);
    const defs = definitions(messages).map((d) => JSON.stringify(d));
    expect(new Set(defs).size).toBe(defs.length);
    expect(messages.filter((m) => m.mc[0]!.marketDefinition === undefined).length).toBeGreaterThan(
      50,
    );
  });

  it.each(markets.map((m) => [m.marketId, m] as const))(
    '%s has increasing pt and growing volume',
    (_id, market) => {
      const messages = stream(market, 'PRO', 60);
      const pts = messages.map((m) => m.pt);
      expect(pts).toEqual([...pts].sort((a, b) => a - b));
      expect(new Set(pts).size).toBe(pts.length);
      const volumes = messages.flatMap((m) => (m.mc[0]!.tv === undefined ? [] : [m.mc[0]!.tv]));
      expect(volumes).toEqual([...volumes].sort((a, b) => a - b));
      expect(volumes.length).toBeGreaterThan(0);
    },
  );

  it.each(markets.map((m) => [m.marketId, m] as const))(
    '%s goes OPEN, SUSPENDED, in play, SUSPENDED, CLOSED',
    (_id, market) => {
      const phases = definitions(stream(market, 'PRO', 40))
        .map((d) => `${d.status}${d.inPlay ? '/inPlay' : ''}`)
        .filter((phase, i, all) => phase !== all[i - 1]);
      expect(phases).toEqual([
        'OPEN',
        'SUSPENDED',
        'OPEN/inPlay',
        'SUSPENDED/inPlay',
        'CLOSED/inPlay',
      ]);
    },
  );

  it.each(markets.map((m) => [m.marketId, m] as const))(
    '%s closes with its winners and a BSP once reconciled',
    (_id, market) => {
      const defs = definitions(stream(market, 'PRO', 40));
      const closed = defs.at(-1)!;
      const winners = closed.runners.filter((r) => r.status === 'WINNER');
      expect(winners.length).toBe(closed.numberOfWinners);
      if (closed.marketType === 'WIN') expect(winners.length).toBe(1);
      const settled = closed.runners.filter((r) => r.status !== 'REMOVED');
      expect(settled.every((r) => r.status === 'WINNER' || r.status === 'LOSER')).toBe(true);
      for (const def of defs.filter((d) => d.bspReconciled)) {
        expect(
          def.runners.filter((r) => r.status !== 'REMOVED').every((r) => typeof r.bsp === 'number'),
        ).toBe(true);
      }
    },
  );

  it('withdraws a non-runner with a removalDate and adjustmentFactor', () => {
    const market = markets.find((m) => m.runners.some((r) => r.removedAt !== undefined));
    expect(market).toBeDefined();
    const defs = definitions(stream(market!));
    const removed = defs.at(-1)!.runners.filter((r) => r.status === 'REMOVED');
    expect(removed).toHaveLength(1);
    expect(removed[0]!.removalDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(removed[0]!.adjustmentFactor).toBeGreaterThan(0);
    const before = defs[0]!.numberOfActiveRunners;
    expect(defs.find((d) => d.status === 'SUSPENDED')!.numberOfActiveRunners).toBe(before - 1);
  });

  it('projects BSP (spn, spf) only in the last minutes before the off', () => {
    const messages = stream(markets[0]!);
    const off = messages.findIndex((m) => m.mc[0]!.marketDefinition?.status === 'SUSPENDED');
    const projected = messages.flatMap((m, i) =>
      (m.mc[0]!.rc ?? []).some((rc) => rc.spn !== undefined) ? [i] : [],
    );
    expect(projected.length).toBeGreaterThan(0);
    expect(Math.max(...projected)).toBeLessThan(off);
    expect(Math.min(...projected)).toBeGreaterThan(off / 2);
  });

  it('BASIC carries only last traded prices, at most one update a minute', () => {
    const messages = stream(markets[0]!, 'BASIC', 400);
    const keys = new Set(runnerChanges(messages).flatMap((rc) => Object.keys(rc)));
    expect([...keys].sort()).toEqual(['id', 'ltp']);
    const priceOnly = messages.filter((m) => m.mc[0]!.marketDefinition === undefined);
    priceOnly
      .slice(1)
      .forEach((m, i) => expect(m.pt - priceOnly[i]!.pt).toBeGreaterThanOrEqual(60_000));
    expect(offLadderPrices(messages)).toEqual([]);
  });

  it('is deterministic for a generator in the same state', () => {
    const a = marketStream(
      { market: markets[3]!, tier: 'PRO', updates: 50, preOffMinutes: 60 },
      createRng(9),
    );
    const b = marketStream(
      { market: markets[3]!, tier: 'PRO', updates: 50, preOffMinutes: 60 },
      createRng(9),
    );
    const c = marketStream(
      { market: markets[3]!, tier: 'PRO', updates: 50, preOffMinutes: 60 },
      createRng(10),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});

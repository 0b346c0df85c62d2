import { describe, expect, it } from 'vitest';
import { runOperation, type MarketSource } from '../../shared/betfair/betting-operations.js';
import type { ListedMarket } from '../../shared/betfair/market-filter.js';

/** A market listed with a competition, as a sport that has them lists it. */
function market(marketId: string, competition: string | undefined, start: string): ListedMarket {
  return {
    inplay: false,
    catalogue: {
      marketId,
      marketName: 'Match Odds',
      marketStartTime: start,
      totalMatched: 0,
      event: { id: `e${marketId}`, name: 'A v B', countryCode: 'GB' },
      ...(competition
        ? { competition: { id: competition, name: `Competition ${competition}` } }
        : {}),
    },
  };
}

const source: MarketSource = {
  catalogueMarkets: () => [
    market('1.1', '10', '2026-11-30T12:00:00.000Z'),
    market('1.2', '10', '2026-11-30T12:59:00.000Z'),
    market('1.3', '20', '2026-11-30T13:00:00.000Z'),
    market('1.4', undefined, '2026-12-01T09:30:00.000Z'),
  ],
  marketBooks: () => [],
};

describe('the counting operations', () => {
  it('counts markets per competition, with the region of their events', () => {
    const { result } = runOperation(source, 'listCompetitions', { filter: {} }, 0);
    expect(result).toEqual([
      {
        competition: { id: '10', name: 'Competition 10' },
        competitionRegion: 'GB',
        marketCount: 2,
      },
      {
        competition: { id: '20', name: 'Competition 20' },
        competitionRegion: 'GB',
        marketCount: 1,
      },
    ]);
  });

  it('counts markets per UTC hour and day they start in, earliest first', () => {
    const range = (from: string, to: string, marketCount: number) => ({
      timeRange: { from: `${from}:00.000Z`, to: `${to}:00.000Z` },
      marketCount,
    });
    const hours = runOperation(source, 'listTimeRanges', { filter: {}, granularity: 'HOURS' }, 0);
    expect(hours.result).toEqual([
      range('2026-11-30T12:00', '2026-11-30T13:00', 2),
      range('2026-11-30T13:00', '2026-11-30T14:00', 1),
      range('2026-12-01T09:00', '2026-12-01T10:00', 1),
    ]);
    const days = runOperation(source, 'listTimeRanges', { filter: {}, granularity: 'DAYS' }, 0);
    expect(days.result).toEqual([
      range('2026-11-30T00:00', '2026-12-01T00:00', 3),
      range('2026-12-01T00:00', '2026-12-02T00:00', 1),
    ]);
  });
});

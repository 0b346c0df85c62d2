import { describe, expect, it } from 'vitest';
import {
  extraPollOffsets,
  marketsNearOff,
  MIN_EXTRA_POLL_MS,
  MIN_MARKET_CALL_SPACING_MS,
} from '../../../shared/live/recorder/cadence.js';
import { POLL_TIMING, SCHEDULE_INTERVAL_MS } from '../../../shared/live/recorder/deps.js';
import type { KnownMarket } from '../../../shared/live/recorder/markets.js';

const offsets = (minutes: number, pollsPerMinute: number, deadlineMs = POLL_TIMING.deadlineMs) =>
  extraPollOffsets({ minutes, pollsPerMinute }, SCHEDULE_INTERVAL_MS, deadlineMs);

describe('the faster cadence near the off', () => {
  it('adds no polls when off', () => {
    expect(offsets(0, 4)).toEqual([]);
  });

  it('spaces extra polls over the minute and starts none too close to the deadline', () => {
    expect(offsets(5, 4)).toEqual([15_000, 30_000]);
    expect(offsets(5, 2)).toEqual([30_000]);
    for (const polls of [2, 3, 4, 6, 12]) {
      const starts = [0, ...offsets(5, polls)];
      for (let i = 1; i < starts.length; i++) {
        expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(MIN_MARKET_CALL_SPACING_MS);
        expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(5_000);
      }
      expect(Math.max(...starts) + MIN_EXTRA_POLL_MS).toBeLessThanOrEqual(POLL_TIMING.deadlineMs);
    }
    expect(offsets(5, 12, 10_000)).toEqual([5_000]);
  });

  it('picks the markets still polled whose start is within the window, either side', () => {
    const now = new Date('2026-02-13T14:00:00Z');
    const market = (id: string, start: string | null, done = false) =>
      ({ marketId: id, marketStartTime: start, done }) as KnownMarket;
    const known = [
      market('1.1', '2026-02-13T14:02:00Z'),
      market('1.2', '2026-02-13T13:58:30Z'),
      market('1.3', '2026-02-13T14:04:00Z'),
      market('1.4', '2026-02-13T14:01:00Z', true),
      market('1.5', null),
    ];
    expect(marketsNearOff(known, now, 3).map((m) => m.marketId)).toEqual(['1.1', '1.2']);
  });
});

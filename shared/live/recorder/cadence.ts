import type { KnownMarket } from './markets.js';
import type { Cadence } from './settings.js';

/**
 * Betfair's advice: at most 5 listMarketBook calls a second for one market. An extra poll asks
 * each market once, so polls this far apart keep every market within it.
 */
export const MIN_MARKET_CALL_SPACING_MS = 200;

/** Less time than this left before the deadline is not worth starting an extra poll in. */
export const MIN_EXTRA_POLL_MS = 2_000;

/**
 * When the extra polls of one invocation start, in ms after the scheduled poll began: evenly
 * spaced over the minute, never closer than MIN_MARKET_CALL_SPACING_MS, and only those that
 * leave MIN_EXTRA_POLL_MS before the poll's deadline (the rest of the minute goes unpolled
 * rather than run past it).
 */
export function extraPollOffsets(cadence: Cadence, minuteMs: number, deadlineMs: number): number[] {
  if (cadence.minutes <= 0 || cadence.pollsPerMinute <= 1) return [];
  const spacing = Math.max(minuteMs / cadence.pollsPerMinute, MIN_MARKET_CALL_SPACING_MS);
  const offsets: number[] = [];
  for (let offset = spacing; offset + MIN_EXTRA_POLL_MS <= deadlineMs; offset += spacing) {
    offsets.push(Math.round(offset));
  }
  return offsets;
}

/** The markets still polled whose scheduled start is within `minutes` of `now`. */
export function marketsNearOff(
  known: readonly KnownMarket[],
  now: Date,
  minutes: number,
): KnownMarket[] {
  const window = minutes * 60_000;
  return known.filter((market) => {
    if (market.done || market.marketStartTime === null) return false;
    const start = Date.parse(market.marketStartTime);
    return Number.isFinite(start) && Math.abs(start - now.getTime()) <= window;
  });
}

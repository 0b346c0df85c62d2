import { VENUES, type Venue } from './names.js';
import { planRace, type MarketPlan } from './race-plan.js';
import { createRng, deriveSeed, shuffled, type Rng } from './rng.js';

/** Which racing to plan: `meetings` a day for `days` days from `date`. */
export interface ScheduleOptions {
  /** First race day, `YYYY-MM-DD` (UTC). */
  date: string;
  days: number;
  meetings: number;
  /** Races per meeting; each meeting gets this many, give or take one. */
  racesPerMeeting: number;
  seed: number;
}

const MINUTE = 60_000;

/** Every market of the schedule, in order of day, meeting and race (WIN before PLACE). */
export function planMarkets(options: ScheduleOptions): MarketPlan[] {
  const rng = createRng(deriveSeed(options.seed, 'schedule'));
  const ids = {
    event: 31_000_000 + rng.int(0, 900_000),
    market: 197_000_000 + rng.int(0, 900_000),
  };
  const markets: MarketPlan[] = [];
  for (let d = 0; d < options.days; d++) {
    const day = new Date(parseDay(options.date).getTime() + d * 24 * 60 * MINUTE);
    const venues = shuffled(VENUES, rng).slice(0, options.meetings);
    venues.forEach((venue, m) => {
      ids.event += rng.int(1, 60);
      markets.push(...planMeeting(venue, day, m, ids, options, rng));
    });
  }
  return markets;
}

function planMeeting(
  venue: Venue,
  day: Date,
  index: number,
  ids: { event: number; market: number },
  options: ScheduleOptions,
  rng: Rng,
): MarketPlan[] {
  // Meetings start between 11:50 and 17:30 UTC, staggered so their races interleave.
  const firstRace = day.getTime() + (11 * 60 + 50 + ((index * 25) % 340)) * MINUTE;
  const races = Math.max(1, options.racesPerMeeting + rng.int(-1, 1));
  const markets: MarketPlan[] = [];
  let off = firstRace;
  for (let r = 0; r < races; r++) {
    ids.market += rng.int(2, 40);
    const slot = {
      eventId: String(ids.event),
      venue,
      day,
      marketTime: new Date(off),
      openDate: new Date(firstRace),
      marketNumber: ids.market,
    };
    ids.market += 1;
    off += rng.pick([30, 35]) * MINUTE;
    const raceRng = createRng(deriveSeed(options.seed, `race:${ids.market}`));
    markets.push(...planRace(slot, raceRng));
  }
  return markets;
}

/** Parses `YYYY-MM-DD` as midnight UTC; throws RangeError on anything else. */
export function parseDay(date: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const day = match ? new Date(`${date}T00:00:00.000Z`) : new Date(NaN);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== date) {
    throw new RangeError(`date must be YYYY-MM-DD, got "${date}"`);
  }
  return day;
}

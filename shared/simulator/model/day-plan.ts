import { eventName, VENUES, type Venue } from '../../generator/names.js';
import { shuffled, type Rng } from '../../generator/rng.js';
import { draftRaceMarkets, type MarketPlan } from './market-plan.js';
import { rngFor } from './noise.js';
import { planRace, type RacePlan } from './race-plan.js';

/** How much racing a simulated day has. */
export interface DayOptions {
  /** Meetings a day; by default 10–12, a full UK/IE card. */
  meetings?: number;
  /** Races per meeting; by default 8. */
  racesPerMeeting?: number;
  /** Ante-post markets listed each day; by default 4. */
  antepostMarkets?: number;
}

/** Everything listed on one UTC day, in order of meeting and race. */
export interface DayPlan {
  epochDay: number;
  races: RacePlan[];
  markets: MarketPlan[];
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Market ids carry their day (100 000 000 + day × 10 000 + index), so a closed market can be
 * found again after its day has gone without keeping every day in memory.
 */
export function marketIdOf(epochDay: number, index: number): string {
  return `1.${marketIdBase(epochDay) + index}`;
}

/** The number of a day's first market id. */
export function marketIdBase(epochDay: number): number {
  return 100_000_000 + epochDay * 10_000;
}

/** The UTC day a simulator market id belongs to, or undefined for an id it never gave out. */
export function epochDayOfMarketId(marketId: string): number | undefined {
  const match = /^1\.(\d{9})$/.exec(marketId);
  if (!match) return undefined;
  return Math.floor((Number(match[1]) - marketIdBase(0)) / 10_000);
}

/** The UTC day number (days since 1970-01-01) of an instant. */
export function epochDayOf(time: number): number {
  return Math.floor(time / DAY);
}

/** Plans one day's racing; the same seed and day always give the same card. */
export function planDay(seed: number, epochDay: number, options: DayOptions = {}): DayPlan {
  const rng = rngFor(seed, `day:${epochDay}`);
  const meetings = options.meetings ?? rng.int(10, 12);
  const venues = shuffled(VENUES, rng).slice(0, meetings);
  const races = venues.flatMap((venue, m) =>
    planMeeting(seed, epochDay, venue, m, options.racesPerMeeting ?? 8, rng),
  );
  races.push(...planAntepost(seed, epochDay, options.antepostMarkets ?? 4, rng));
  const markets: MarketPlan[] = [];
  for (const race of races) {
    const drafts =
      race.off > (epochDay + 1) * DAY
        ? [antepostDraft(race)]
        : draftRaceMarkets(race, rngFor(seed, `markets:${race.key}`));
    for (const draft of drafts) {
      markets.push({ ...draft, race, marketId: marketIdOf(epochDay, markets.length) });
    }
  }
  return { epochDay, races, markets };
}

function planMeeting(
  seed: number,
  epochDay: number,
  venue: Venue,
  index: number,
  races: number,
  rng: Rng,
): RacePlan[] {
  const day = epochDay * DAY;
  // A third of the meetings race in the evening; the rest start between 12:00 and 14:00 UTC.
  const evening = index % 3 === 2;
  const first = day + (evening ? 16 * 60 + 30 : 12 * 60) * MINUTE + rng.int(0, 8) * 15 * MINUTE;
  const jumps = rng.chance(0.45);
  const eventId = String(30_000_000 + epochDay * 100 + index);
  const plans: RacePlan[] = [];
  let off = first;
  for (let r = 0; r < races; r++) {
    const key = `${epochDay}:${index}:${r}`;
    const slot = {
      key,
      eventId,
      eventName: eventName(venue.venue, new Date(day)),
      venue,
      openDate: first,
      off,
      jumps,
    };
    plans.push(planRace(slot, rngFor(seed, `race:${key}`)));
    off += rng.pick([25, 30, 30, 35]) * MINUTE;
  }
  return plans;
}

function planAntepost(seed: number, epochDay: number, count: number, rng: Rng): RacePlan[] {
  return Array.from({ length: count }, (_, i) => {
    const venue = rng.pick(VENUES);
    const off = (epochDay + rng.int(20, 120)) * DAY + (14 * 60 + 30) * MINUTE;
    const key = `${epochDay}:antepost:${i}`;
    const slot = {
      key,
      eventId: String(30_000_000 + epochDay * 100 + 90 + i),
      eventName: `${venue.venue} (Antepost)`,
      venue,
      openDate: off,
      off,
      jumps: rng.chance(0.5),
    };
    return planRace(slot, rngFor(seed, `race:${key}`));
  });
}

function antepostDraft(race: RacePlan): Omit<MarketPlan, 'marketId' | 'race'> {
  return {
    marketType: 'ANTEPOST_WIN',
    marketName: race.name,
    numberOfWinners: 1,
    selectionIds: race.runners.map((r) => r.selectionId),
    turnInPlayEnabled: false,
    bspMarket: false,
    volume: race.winVolume * 0.1,
  };
}

import type { MarketStatus, RacingMarketType } from '../../../betfair/vocabulary.js';
import { eventName, VENUES, type Venue } from '../../generator/markets.js';
import { type Rng, rngFor, shuffled } from '../../generator/random.js';
import { type RacePlan, planRace } from './race.js';

/** One market on a race. */
export interface MarketPlan {
  marketId: string;
  race: RacePlan;
  /** Any of RACING_MARKET_TYPES: the simulator lists them all for UK/IE racing. */
  marketType: RacingMarketType;
  marketName: string;
  numberOfWinners: number;
  /** The race's runners this market offers (a pair for a match bet). */
  selectionIds: number[];
  turnInPlayEnabled: boolean;
  bspMarket: boolean;
  eachWayDivisor?: number;
  /** Money this market will have matched by the end. */
  volume: number;
}

type MarketDraft = Omit<MarketPlan, 'marketId' | 'race'>;

/** Places paid on UK/IE each-way terms for a field of `runners`. */
export function placesPaid(runners: number): number {
  if (runners >= 16) return 4;
  if (runners >= 8) return 3;
  return 2;
}

/** The markets Betfair would list for one race, before ids are given out. */
export function draftRaceMarkets(race: RacePlan, rng: Rng): MarketDraft[] {
  const ids = race.runners.map((r) => r.selectionId);
  const places = placesPaid(ids.length);
  const all = { selectionIds: ids, turnInPlayEnabled: true };
  const drafts: MarketDraft[] = [
    {
      ...all,
      marketType: 'WIN',
      marketName: race.name,
      numberOfWinners: 1,
      bspMarket: true,
      volume: race.winVolume,
    },
    {
      ...all,
      marketType: 'PLACE',
      marketName: 'To Be Placed',
      numberOfWinners: places,
      bspMarket: true,
      volume: race.winVolume * 0.2,
    },
    {
      ...all,
      marketType: 'EACH_WAY',
      marketName: 'Each Way',
      numberOfWinners: places,
      bspMarket: false,
      eachWayDivisor: places === 2 ? 4 : 5,
      volume: race.winVolume * 0.03,
    },
  ];
  for (const extra of otherPlaces(places, ids.length)) {
    drafts.push({
      ...all,
      marketType: 'OTHER_PLACE',
      marketName: `${extra} TBP`,
      numberOfWinners: extra,
      bspMarket: false,
      volume: race.winVolume * 0.02,
    });
  }
  drafts.push(...matchBets(race, rng));
  return drafts;
}

/** The extra "N TBP" markets: one place fewer and one more than the standard terms. */
function otherPlaces(places: number, runners: number): number[] {
  return [places - 1, places + 1].filter((n) => n >= 1 && n < runners);
}

function matchBets(race: RacePlan, rng: Rng): MarketDraft[] {
  const count = Math.min(Math.floor(race.runners.length / 2), rng.int(3, 5));
  // Neighbours in the betting make the closest match bets.
  const order = race.runners;
  return Array.from({ length: count }, (_, i) => {
    const [a, b] = [order[2 * i], order[2 * i + 1]];
    if (!a || !b) throw new RangeError('match bet needs two runners');
    return {
      selectionIds: [a.selectionId, b.selectionId],
      marketType: 'MATCH_BET' as const,
      marketName: `${a.name} v ${b.name}`,
      numberOfWinners: 1,
      turnInPlayEnabled: false,
      bspMarket: false,
      volume: race.winVolume * 0.005,
    };
  });
}

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

/** Seconds a market stays suspended at the off before it turns in play. */
export const SUSPEND_AT_OFF_SECONDS = 30;

/** Where a market is in its life at one instant. */
export interface MarketPhase {
  status: MarketStatus;
  inplay: boolean;
  /** The BSP has been worked out (only BSP markets, from the turn in play). */
  bspReconciled: boolean;
  /** 0 before the race is run, rising to 1 at the finish. */
  raceProgress: number;
  /** When prices last changed: now while trading, else the moment trading stopped. */
  lastTradeAt: number;
}

/** The instants that divide a market's life, epoch ms. */
export interface MarketTimes {
  off: number;
  turnInPlay: number;
  finish: number;
  close: number;
}

/** The times of the off, the turn in play, the finish and settlement. */
export function marketTimes(market: MarketPlan): MarketTimes {
  const { off, runSeconds, settleSeconds } = market.race;
  const turnInPlay = off + SUSPEND_AT_OFF_SECONDS * 1000;
  const finish = turnInPlay + runSeconds * 1000;
  return { off, turnInPlay, finish, close: finish + settleSeconds * 1000 };
}

/**
 * OPEN before the off; SUSPENDED at the off; back OPEN and in play while the race is run (only
 * markets that turn in play); SUSPENDED from the finish until settled; then CLOSED.
 */
export function phaseAt(market: MarketPlan, now: number): MarketPhase {
  const t = marketTimes(market);
  const reconciled = market.bspMarket && now >= t.turnInPlay;
  const inPlayMarket = market.turnInPlayEnabled;
  const progress = Math.min(1, Math.max(0, (now - t.turnInPlay) / (t.finish - t.turnInPlay)));
  const phase = (status: MarketStatus, inplay: boolean, lastTradeAt: number): MarketPhase => ({
    status,
    inplay,
    bspReconciled: reconciled,
    raceProgress: progress,
    lastTradeAt,
  });
  if (now < t.off) return phase('OPEN', false, now);
  if (now < t.turnInPlay || !inPlayMarket) {
    return phase(now < t.close ? 'SUSPENDED' : 'CLOSED', false, t.off);
  }
  if (now < t.finish) return phase('OPEN', true, now);
  return phase(now < t.close ? 'SUSPENDED' : 'CLOSED', true, t.finish);
}

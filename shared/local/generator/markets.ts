import {
  BETFAIR_MONTHS,
  type BetfairMonth,
  type RacingMarketType,
} from '../../betfair/vocabulary.js';
import { type Rng, assignFinishingOrder, createRng, deriveSeed, shuffled } from './random.js';

/** A racecourse with the country and timezone Betfair gives its markets. */
export interface Venue {
  venue: string;
  countryCode: 'GB' | 'IE';
  timezone: 'Europe/London' | 'Europe/Dublin';
}

const GB = ['Ascot', 'Ayr', 'Bath', 'Carlisle', 'Catterick', 'Chelmsford City', 'Cheltenham'];
const GB_MORE = ['Doncaster', 'Epsom', 'Hamilton', 'Haydock', 'Kempton', 'Lingfield', 'Newbury'];
const GB_LAST = [
  'Newcastle',
  'Newmarket',
  'Ripon',
  'Sandown',
  'Southwell',
  'Wolverhampton',
  'York',
];
const IE = [
  'Cork',
  'Curragh',
  'Dundalk',
  'Fairyhouse',
  'Galway',
  'Leopardstown',
  'Naas',
  'Punchestown',
];

/** UK and Irish racecourses, GB first. */
export const VENUES: readonly Venue[] = [
  ...[...GB, ...GB_MORE, ...GB_LAST].map((venue): Venue => ({
    venue,
    countryCode: 'GB',
    timezone: 'Europe/London',
  })),
  ...IE.map((venue): Venue => ({ venue, countryCode: 'IE', timezone: 'Europe/Dublin' })),
];

const DISTANCES = ['5f', '6f', '7f', '1m', '1m2f', '1m4f', '2m', '2m4f', '3m'];
const RACE_TYPES = ['Hcap', 'Mdn Stks', 'Nov Stks', 'Class Stks', 'Hcap Hrd', 'Hcap Chs', 'NHF'];

/** A WIN market name in Betfair's style, e.g. "1m2f Hcap". */
export function raceName(rng: Rng): string {
  return `${rng.pick(DISTANCES)} ${rng.pick(RACE_TYPES)}`;
}

const FIRST = ['Golden', 'Silent', 'Royal', 'Brave', 'Misty', 'Lucky', 'Dancing', 'Storm', 'Noble'];
const FIRST_MORE = ['Copper', 'Wild', 'Midnight', 'Emerald', 'Highland', 'Scarlet', 'Quiet'];
const SECOND = ['Arrow', 'Legend', 'Dancer', 'Star', 'Harbour', 'Spirit', 'Echo', 'Warrior'];
const SECOND_MORE = ['Meadow', 'River', 'Empress', 'Falcon', 'Lad', 'Rose', 'Thunder', 'Vale'];

/** A horse name, e.g. "Misty Harbour". */
export function horseName(rng: Rng): string {
  return `${rng.pick([...FIRST, ...FIRST_MORE])} ${rng.pick([...SECOND, ...SECOND_MORE])}`;
}

/** The vendor's month folder name (`Jan` … `Dec`) of a month index 0–11. */
export function monthName(month: number): BetfairMonth {
  const name = BETFAIR_MONTHS[month];
  if (name === undefined) throw new RangeError(`no month ${month}`);
  return name;
}

/** Betfair's event name for a meeting, e.g. "Ham 14th Jun". */
export function eventName(venue: string, day: Date): string {
  const short = venue.length > 5 ? venue.slice(0, 4) : venue;
  return `${short} ${ordinal(day.getUTCDate())} ${monthName(day.getUTCMonth())}`;
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** The market types the generator writes for each race. */
export const GENERATED_MARKET_TYPES = [
  'WIN',
  'PLACE',
] as const satisfies readonly RacingMarketType[];
export type GeneratedMarketType = (typeof GENERATED_MARKET_TYPES)[number];

/** One horse in a race, as both of the race's markets see it. */
export interface RunnerPlan {
  selectionId: number;
  name: string;
  /** Win probability in the opening book (sums to 1 over the declared runners). */
  probability: number;
  /** 1 for the winner; 0 for a non-runner. */
  finishPosition: number;
  /** For a non-runner: when it is withdrawn, as a fraction (0–1) of the time before the off. */
  removedAt?: number;
}

/** One market to write: everything its stream needs besides the price path. */
export interface MarketPlan {
  marketId: string;
  eventId: string;
  marketType: GeneratedMarketType;
  numberOfWinners: number;
  /** Market name, e.g. "1m2f Hcap" or "To Be Placed". */
  name: string;
  eventName: string;
  venue: Venue;
  /** Scheduled off. */
  marketTime: Date;
  /** The meeting's first race. */
  openDate: Date;
  runners: RunnerPlan[];
}

/** A race to plan within a meeting. */
export interface RaceSlot {
  eventId: string;
  venue: Venue;
  day: Date;
  marketTime: Date;
  openDate: Date;
  /** Market number of the WIN market; the PLACE market is the next number. */
  marketNumber: number;
}

/** The WIN and PLACE markets of one race, sharing runners and result. */
export function planRace(slot: RaceSlot, rng: Rng): MarketPlan[] {
  const runners = planRunners(rng);
  const active = runners.filter((r) => r.removedAt === undefined).length;
  const common = {
    eventId: slot.eventId,
    eventName: eventName(slot.venue.venue, slot.day),
    venue: slot.venue,
    marketTime: slot.marketTime,
    openDate: slot.openDate,
    runners,
  };
  return [
    {
      ...common,
      marketId: `1.${slot.marketNumber}`,
      marketType: 'WIN',
      numberOfWinners: 1,
      name: raceName(rng),
    },
    {
      ...common,
      marketId: `1.${slot.marketNumber + 1}`,
      marketType: 'PLACE',
      numberOfWinners: placesPaid(active),
      name: 'To Be Placed',
    },
  ];
}

/** Places paid by UK/IE each-way terms for a field of `runners`. */
export function placesPaid(runners: number): number {
  if (runners >= 16) return 4;
  if (runners >= 8) return 3;
  return 2;
}

function planRunners(rng: Rng): RunnerPlan[] {
  const count = rng.int(5, 14);
  const strengths = Array.from({ length: count }, () => rng.next() ** 2 + 0.02);
  const total = strengths.reduce((a, b) => a + b, 0);
  const runners: RunnerPlan[] = strengths
    .map((s) => s / total)
    .sort((a, b) => b - a)
    .map((probability) => ({
      selectionId: rng.int(1_000_000, 49_999_999),
      name: horseName(rng),
      probability,
      finishPosition: 0,
    }));
  if (count > 5 && rng.chance(0.3)) {
    const removed = runners[rng.int(1, count - 1)] as RunnerPlan;
    removed.removedAt = 0.1 + rng.next() * 0.6;
  }
  assignFinishingOrder(runners, rng);
  return runners;
}

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

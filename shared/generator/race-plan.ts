import { eventName, horseName, raceName, type Venue } from './names.js';
import { assignFinishingOrder } from './finishing-order.js';
import type { Rng } from './rng.js';

/** Betfair's market types the generator writes for each race. */
export const MARKET_TYPES = ['WIN', 'PLACE'] as const;
export type MarketType = (typeof MARKET_TYPES)[number];

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
  marketType: MarketType;
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

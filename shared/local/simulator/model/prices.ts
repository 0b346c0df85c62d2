import { hashUnit, rngFor } from '../../generator/random.js';
import { MAX_TICK, nearestTick, priceAt } from '../../generator/runner-book.js';
import type { LadderPriceSize } from '../market-types.js';
import { marketTimes, type MarketPlan } from './day-plan.js';
import type { HorsePlan } from './race.js';

/** A smooth wobble in [-1, 1] over time: two slow waves with seeded phases and periods. */
export function wobble(seed: number, label: string, timeMs: number): number {
  const minutes = timeMs / 60_000;
  const rng = rngFor(seed, `wobble:${label}`);
  const [p1, p2, phase1, phase2] = [rng.next(), rng.next(), rng.next(), rng.next()];
  const slow = Math.sin((2 * Math.PI * minutes) / (40 + 80 * p1) + 2 * Math.PI * phase1);
  const fast = Math.sin((2 * Math.PI * minutes) / (5 + 10 * p2) + 2 * Math.PI * phase2);
  return 0.65 * slow + 0.35 * fast;
}

/** Levels of the ladder the simulator offers each side (what EX_ALL_OFFERS returns). */
export const FULL_DEPTH = 10;

/** Back and lay offers around a fair price, best first. */
export interface Offers {
  availableToBack: LadderPriceSize[];
  availableToLay: LadderPriceSize[];
}

/** What shapes one runner's offers at one instant. */
export interface OfferInput {
  probability: number;
  /** Typical money at the best price. */
  liquidity: number;
  seed: number;
  /** Labels this runner's offers (market, selection, time bucket) for the seeded sizes. */
  label: string;
}

/** The tick of a runner's best back price; its best lay is always at least one tick above. */
export function bestBackTick(probability: number): number {
  return Math.min(MAX_TICK - 1, nearestTick(1 / Math.max(probability, 0.001)));
}

/** Offers on the real price ladder with every back price below every lay price. */
export function offersFor(input: OfferInput): Offers {
  const back = bestBackTick(input.probability);
  const gap = hashUnit(input.seed, `${input.label}:gap`) < 0.75 ? 1 : 2;
  const lay = Math.min(MAX_TICK, back + gap);
  const level = (side: 'b' | 'l', tick: number, depth: number): LadderPriceSize => ({
    price: priceAt(tick),
    size: money(
      input.liquidity *
        (0.2 + hashUnit(input.seed, `${input.label}:${side}${depth}`)) *
        (1 + depth * 0.7),
    ),
  });
  const availableToBack: LadderPriceSize[] = [];
  const availableToLay: LadderPriceSize[] = [];
  for (let d = 0; d < FULL_DEPTH; d++) {
    if (back - d >= 0) availableToBack.push(level('b', back - d, d));
    if (lay + d <= MAX_TICK) availableToLay.push(level('l', lay + d, d));
  }
  return { availableToBack, availableToLay };
}

/** A runner's matched money spread over the ticks around where it has traded, by price. */
export function tradedLadder(centreTick: number, matched: number): LadderPriceSize[] {
  const spread = [1, 2, 3, 4, 3, 2, 1];
  const ticks = spread
    .map((weight, i) => ({ tick: centreTick + i - 3, weight }))
    .filter(({ tick }) => tick >= 0 && tick <= MAX_TICK);
  const total = ticks.reduce((sum, t) => sum + t.weight, 0);
  return ticks
    .map(({ tick, weight }) => ({ price: priceAt(tick), size: money((matched * weight) / total) }))
    .filter((level) => level.size > 0);
}

/** Money rounded to pence, as Betfair reports it. */
export function money(amount: number): number {
  return Math.round(amount * 100) / 100;
}

const HOUR = 3_600_000;

/** The horses a market offers, in the race's order (its sortPriority). */
export function marketHorses(market: MarketPlan): HorsePlan[] {
  return market.race.runners.filter((r) => market.selectionIds.includes(r.selectionId));
}

/** True once a non-runner has been withdrawn. */
export function isRemoved(horse: HorsePlan, now: number): boolean {
  return horse.removedAt !== undefined && now >= horse.removedAt;
}

/** The runners that win this market: the best-placed `numberOfWinners` that ran. */
export function marketWinners(market: MarketPlan): Set<number> {
  const ran = marketHorses(market).filter((h) => h.finishPosition > 0);
  ran.sort((a, b) => a.finishPosition - b.finishPosition);
  return new Set(ran.slice(0, market.numberOfWinners).map((h) => h.selectionId));
}

/**
 * Each active runner's chance of winning this market at `now`: the opening book drifting and
 * wobbling until the off, then pulled towards the result as the race is run.
 */
export function marketProbabilities(
  market: MarketPlan,
  seed: number,
  now: number,
  raceProgress: number,
): Map<number, number> {
  const active = marketHorses(market).filter((h) => !isRemoved(h, now));
  const win = winProbabilities(market, active, seed, Math.min(now, market.race.off));
  const shaped = shapeForMarket(market, win);
  if (raceProgress <= 0) return shaped;
  const winners = marketWinners(market);
  const pull = raceProgress ** 2;
  return new Map(
    [...shaped].map(([id, p]) => [
      id,
      p * (1 - pull) + (winners.has(id) ? 1 / winners.size : 0) * pull,
    ]),
  );
}

/** A runner's Betfair Starting Price: its fair price at the off, give or take a little. */
export function startingPrice(market: MarketPlan, seed: number, selectionId: number): number {
  const p = marketProbabilities(market, seed, marketTimes(market).off, 0).get(selectionId);
  if (p === undefined) return 1000;
  const jitter = 1 + (hashUnit(seed, `sp:${market.marketId}:${selectionId}`) - 0.5) * 0.06;
  return Math.min(1000, Math.max(1.01, Math.round((jitter / p) * 100) / 100));
}

function winProbabilities(
  market: MarketPlan,
  active: HorsePlan[],
  seed: number,
  at: number,
): Map<number, number> {
  // The drift plays out over the last six hours before the off.
  const ramp = Math.min(1, Math.max(0, 1 - (market.race.off - at) / (6 * HOUR)));
  const weights = active.map((h) => {
    const logit = Math.log(h.probability / (1 - h.probability));
    const moved =
      logit + h.drift * ramp + 0.15 * wobble(seed, `${market.race.key}:${h.selectionId}`, at);
    return [h.selectionId, Math.exp(moved)] as const;
  });
  const total = weights.reduce((sum, [, w]) => sum + w / (1 + w), 0);
  return new Map(weights.map(([id, w]) => [id, w / (1 + w) / total]));
}

function shapeForMarket(market: MarketPlan, win: Map<number, number>): Map<number, number> {
  switch (market.marketType) {
    case 'PLACE':
    case 'OTHER_PLACE':
      return placeProbabilities(win, market.numberOfWinners);
    case 'MATCH_BET': {
      const total = [...win.values()].reduce((a, b) => a + b, 0);
      return new Map([...win].map(([id, p]) => [id, p / total]));
    }
    default:
      return win;
  }
}

/** Chances of finishing in the first `places`, scaled so they add up to `places`. */
function placeProbabilities(win: Map<number, number>, places: number): Map<number, number> {
  if (places >= win.size) return new Map([...win.keys()].map((id) => [id, 0.99]));
  const raw = new Map([...win].map(([id, p]) => [id, 1 - (1 - p) ** (places + 0.3)]));
  const scale = places / [...raw.values()].reduce((a, b) => a + b, 0);
  return new Map([...raw].map(([id, q]) => [id, Math.min(0.99, q * scale)]));
}

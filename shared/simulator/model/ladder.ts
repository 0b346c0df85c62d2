import { MAX_TICK, nearestTick, priceAt } from '../../generator/price-ladder.js';
import type { PriceSize } from '../betfair-types.js';
import { hashUnit } from './noise.js';

/** Levels of the ladder the simulator offers each side (what EX_ALL_OFFERS returns). */
export const FULL_DEPTH = 10;

/** Back and lay offers around a fair price, best first. */
export interface Offers {
  availableToBack: PriceSize[];
  availableToLay: PriceSize[];
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
  const level = (side: 'b' | 'l', tick: number, depth: number): PriceSize => ({
    price: priceAt(tick),
    size: money(
      input.liquidity *
        (0.2 + hashUnit(input.seed, `${input.label}:${side}${depth}`)) *
        (1 + depth * 0.7),
    ),
  });
  const availableToBack: PriceSize[] = [];
  const availableToLay: PriceSize[] = [];
  for (let d = 0; d < FULL_DEPTH; d++) {
    if (back - d >= 0) availableToBack.push(level('b', back - d, d));
    if (lay + d <= MAX_TICK) availableToLay.push(level('l', lay + d, d));
  }
  return { availableToBack, availableToLay };
}

/** A runner's matched money spread over the ticks around where it has traded, by price. */
export function tradedLadder(centreTick: number, matched: number): PriceSize[] {
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

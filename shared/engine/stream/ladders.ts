import type { LevelPriceSizeTriple, PriceSizePair } from './stream-message.js';

/** A price-keyed ladder (atb, atl, trd, spb, spl): size by price; a price absent has no size. */
export type PriceLadder = Map<number, number>;

/**
 * A level-keyed ladder (batb, batl, bdatb, bdatl): price and size by depth level, in two arrays
 * indexed by level. A size of 0 marks an empty level.
 */
export interface LevelLadder {
  prices: number[];
  sizes: number[];
}

/** Deepest level accepted; Betfair sends at most 10. Guards the arrays against a bad level. */
const MAX_LEVEL = 99;

export function newLevelLadder(): LevelLadder {
  return { prices: [], sizes: [] };
}

/**
 * Applies `[price, size]` pairs: size 0 deletes the price, anything else sets it. Returns how
 * many pairs were unusable (not two numbers); those are skipped.
 */
export function applyPricePairs(ladder: PriceLadder, pairs: readonly PriceSizePair[]): number {
  let bad = 0;
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    const price = pair?.[0];
    const size = pair?.[1];
    if (typeof price !== 'number' || typeof size !== 'number') {
      bad++;
    } else if (size === 0) {
      ladder.delete(price);
    } else {
      ladder.set(price, size);
    }
  }
  return bad;
}

/** Applies `[level, price, size]` triples: size 0 empties the level. Returns unusable triples. */
export function applyLevelTriples(
  ladder: LevelLadder,
  triples: readonly LevelPriceSizeTriple[],
): number {
  let bad = 0;
  for (let i = 0; i < triples.length; i++) {
    const triple = triples[i];
    const level = triple?.[0];
    const price = triple?.[1];
    const size = triple?.[2];
    if (
      typeof level !== 'number' ||
      typeof price !== 'number' ||
      typeof size !== 'number' ||
      !Number.isInteger(level) ||
      level < 0 ||
      level > MAX_LEVEL
    ) {
      bad++;
      continue;
    }
    while (ladder.sizes.length <= level) {
      ladder.sizes.push(0);
      ladder.prices.push(0);
    }
    ladder.sizes[level] = size;
    ladder.prices[level] = size === 0 ? 0 : price;
  }
  return bad;
}

/** applyPricePairs for pairs laid out flat in `numbers`: price, size, price, size, … */
export function applyPriceNumbers(
  ladder: PriceLadder,
  numbers: Float64Array,
  offset: number,
  count: number,
): void {
  for (let i = offset, last = offset + 2 * count; i < last; i += 2) {
    const price = numbers[i] as number;
    const size = numbers[i + 1] as number;
    if (size === 0) ladder.delete(price);
    else ladder.set(price, size);
  }
}

/** applyLevelTriples for triples laid out flat in `numbers`, levels already checked. */
export function applyLevelNumbers(
  ladder: LevelLadder,
  numbers: Float64Array,
  offset: number,
  count: number,
): void {
  for (let i = offset, last = offset + 3 * count; i < last; i += 3) {
    const level = numbers[i] as number;
    const size = numbers[i + 2] as number;
    while (ladder.sizes.length <= level) {
      ladder.sizes.push(0);
      ladder.prices.push(0);
    }
    ladder.sizes[level] = size;
    ladder.prices[level] = size === 0 ? 0 : (numbers[i + 1] as number);
  }
}

export function levelLadderIsEmpty(ladder: LevelLadder): boolean {
  return ladder.sizes.every((size) => size === 0);
}

/** Σ size. */
export function ladderVolume(ladder: PriceLadder): number {
  let total = 0;
  for (const size of ladder.values()) total += size;
  return total;
}

/** The ladder's [price, size] entries sorted by price, ascending or descending. */
export function sortedPairs(ladder: PriceLadder, descending: boolean): [number, number][] {
  const pairs = [...ladder];
  pairs.sort(descending ? (a, b) => b[0] - a[0] : (a, b) => a[0] - b[0]);
  return pairs;
}

/** The non-empty levels' [price, size], best level first. */
export function levelPairs(ladder: LevelLadder): [number, number][] {
  const pairs: [number, number][] = [];
  for (let level = 0; level < ladder.sizes.length; level++) {
    const size = ladder.sizes[level] ?? 0;
    if (size !== 0) pairs.push([ladder.prices[level] ?? 0, size]);
  }
  return pairs;
}

/** Highest (back) or lowest (lay) price with a size, of [price, size] entries; null when none. */
export function bestPrice(pairs: Iterable<[number, number]>, highest: boolean): number | null {
  let best: number | null = null;
  for (const [price, size] of pairs) {
    if (size <= 0) continue;
    if (best === null || (highest ? price > best : price < best)) best = price;
  }
  return best;
}

/** Rounds money and volumes to pennies, removing the float noise of sums. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

import type { LevelPriceSizeTriple, PriceSizePair } from './stream-message.js';

/**
 * A price-keyed ladder (atb, atl, trd, spb, spl): sizes by price, kept sorted by price in two
 * growing arrays, so an update allocates nothing and a book needs no sort.
 */
export class PriceLadder implements Iterable<[number, number]> {
  private prices = new Float64Array(8);
  private sizes = new Float64Array(8);
  private count = 0;
  /** Calls of `apply` so far: a reader can tell whether the ladder may have changed. */
  changes = 0;

  /** How many prices have a size. */
  get size(): number {
    return this.count;
  }

  get(price: number): number | undefined {
    const at = this.indexOf(price);
    return at < this.count && this.prices[at] === price ? this.sizes[at] : undefined;
  }

  /** Sets the size at `price`; a size of 0 deletes the price. */
  apply(price: number, size: number): void {
    this.changes++;
    const at = this.indexOf(price);
    const found = at < this.count && this.prices[at] === price;
    if (found) {
      if (size !== 0) {
        this.sizes[at] = size;
        return;
      }
      const prices = this.prices;
      const sizes = this.sizes;
      const last = --this.count;
      for (let i = at; i < last; i++) {
        prices[i] = prices[i + 1] as number;
        sizes[i] = sizes[i + 1] as number;
      }
      return;
    }
    if (size === 0) return;
    if (this.count === this.prices.length) this.grow();
    const prices = this.prices;
    const sizes = this.sizes;
    for (let i = this.count; i > at; i--) {
      prices[i] = prices[i - 1] as number;
      sizes[i] = sizes[i - 1] as number;
    }
    prices[at] = price;
    sizes[at] = size;
    this.count++;
  }

  /** Σ size. */
  volume(): number {
    let total = 0;
    for (let i = 0; i < this.count; i++) total += this.sizes[i] as number;
    return total;
  }

  /** The [price, size] entries, ascending or descending by price. */
  pairs(descending = false): [number, number][] {
    const pairs: [number, number][] = new Array<[number, number]>(this.count);
    for (let i = 0; i < this.count; i++) {
      pairs[descending ? this.count - 1 - i : i] = [
        this.prices[i] as number,
        this.sizes[i] as number,
      ];
    }
    return pairs;
  }

  /** The highest (or lowest) price, or null when empty. */
  extreme(highest: boolean): number | null {
    if (this.count === 0) return null;
    return (highest ? this.prices[this.count - 1] : this.prices[0]) as number;
  }

  copy(): PriceLadder {
    const copy = new PriceLadder();
    copy.prices = this.prices.slice(0, Math.max(this.count, 1));
    copy.sizes = this.sizes.slice(0, Math.max(this.count, 1));
    copy.count = this.count;
    return copy;
  }

  [Symbol.iterator](): Iterator<[number, number]> {
    return this.pairs()[Symbol.iterator]();
  }

  /** The index of `price`, or where it would be inserted. */
  private indexOf(price: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.prices[middle] as number) < price) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private grow(): void {
    const prices = new Float64Array(this.prices.length * 2);
    const sizes = new Float64Array(this.sizes.length * 2);
    prices.set(this.prices);
    sizes.set(this.sizes);
    this.prices = prices;
    this.sizes = sizes;
  }
}

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
    } else {
      ladder.apply(price, size);
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
    ladder.apply(numbers[i] as number, numbers[i + 1] as number);
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

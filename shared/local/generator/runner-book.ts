import type { Rng } from './random.js';

/** Betfair's CLASSIC price ladder: [from, to, step], each band inclusive of `from`. */
const BANDS = [
  [1.01, 2, 0.01],
  [2, 3, 0.02],
  [3, 4, 0.05],
  [4, 6, 0.1],
  [6, 10, 0.2],
  [10, 20, 0.5],
  [20, 30, 1],
  [30, 50, 2],
  [50, 100, 5],
  [100, 1000, 10],
] as const;

function buildLadder(): number[] {
  const prices: number[] = [];
  for (const [from, to, step] of BANDS) {
    // Count in hundredths so floating-point steps never drift off the ladder.
    const stepCents = Math.round(step * 100);
    for (let cents = Math.round(from * 100); cents < Math.round(to * 100); cents += stepCents) {
      prices.push(cents / 100);
    }
  }
  prices.push(1000);
  return prices;
}

/** Every valid price, ascending: 1.01, 1.02, … 1000 (350 ticks). */
export const PRICE_LADDER: readonly number[] = buildLadder();

/** Index of the highest tick (1000). */
export const MAX_TICK = PRICE_LADDER.length - 1;

const TICK_OF = new Map(PRICE_LADDER.map((price, tick) => [price, tick]));

/** True when `price` is exactly a tick on the ladder. */
export function isOnLadder(price: number): boolean {
  return TICK_OF.has(price);
}

/** The price at a tick index, clamped to the ladder. */
export function priceAt(tick: number): number {
  return PRICE_LADDER[clampTick(tick)] as number;
}

/** Keeps a tick index on the ladder. */
export function clampTick(tick: number): number {
  return Math.min(MAX_TICK, Math.max(0, Math.round(tick)));
}

/** The tick index of the ladder price closest to `price` (odds of any value). */
export function nearestTick(price: number): number {
  let best = 0;
  for (let tick = 1; tick <= MAX_TICK; tick++) {
    if (Math.abs((PRICE_LADDER[tick] as number) - price) < Math.abs(priceAt(best) - price)) {
      best = tick;
    }
  }
  return best;
}

/** `[price, size]` pairs as in Betfair's atb, atl and trd. */
export type PriceSizes = [number, number][];

/** One runner change (`rc`) of a market change message. */
export interface RunnerChange {
  id: number;
  atb?: PriceSizes;
  atl?: PriceSizes;
  trd?: PriceSizes;
  ltp?: number;
  tv?: number;
  /** Projected BSP, near and far, sent in the last minutes before the off. */
  spn?: number;
  spf?: number;
}

/**
 * The simulated order book of one runner. Sizes are held in pence so totals never drift;
 * the best back is at `tick` and the best lay `spread` ticks above it.
 */
export interface RunnerBook {
  selectionId: number;
  tick: number;
  back: Map<number, number>;
  lay: Map<number, number>;
  traded: Map<number, number>;
  tvPence: number;
  ltp?: number;
}

/** Levels shown on each side of the book. */
const DEPTH = 5;

/** A runner with an empty book and nothing traded. */
export function newBook(selectionId: number, tick: number): RunnerBook {
  return { selectionId, tick, back: new Map(), lay: new Map(), traded: new Map(), tvPence: 0 };
}

/**
 * Moves the best back to `tick` and refreshes the offers around it; returns the changed
 * levels as Betfair deltas (size 0 removes a level). Back stays strictly below lay.
 */
export function requote(
  book: RunnerBook,
  tick: number,
  rng: Rng,
): Pick<RunnerChange, 'atb' | 'atl'> {
  book.tick = Math.min(MAX_TICK - 1, clampTick(tick));
  const spread = book.tick < MAX_TICK - 1 && rng.chance(0.3) ? 2 : 1;
  const back = levels(book.back, ticksDown(book.tick), rng);
  const lay = levels(book.lay, ticksUp(book.tick + spread), rng);
  const atb = diff(book.back, back);
  const atl = diff(book.lay, lay);
  book.back = back;
  book.lay = lay;
  return { ...(atb.length > 0 && { atb }), ...(atl.length > 0 && { atl }) };
}

/** Matches a bet at the best back or lay; returns trd (cumulative at that price), ltp and tv. */
export function trade(
  book: RunnerBook,
  scale: number,
  rng: Rng,
): Pick<RunnerChange, 'trd' | 'ltp' | 'tv'> {
  const side = rng.chance(0.5) ? book.back : book.lay;
  const [price] = side.keys();
  if (price === undefined) return {};
  const pence = Math.max(1, Math.round(scale * (50 + rng.next() * 5000)));
  const total = (book.traded.get(price) ?? 0) + pence;
  book.traded.set(price, total);
  book.tvPence += pence;
  book.ltp = price;
  return { trd: [[price, total / 100]], ltp: price, tv: book.tvPence / 100 };
}

/** Withdraws every offer (at a suspension or a removal); returns the zero-size deltas. */
export function clearOffers(book: RunnerBook): Pick<RunnerChange, 'atb' | 'atl'> {
  const atb = diff(book.back, new Map());
  const atl = diff(book.lay, new Map());
  book.back = new Map();
  book.lay = new Map();
  return { ...(atb.length > 0 && { atb }), ...(atl.length > 0 && { atl }) };
}

/** The whole book as an image: every offer, and every traded price. */
export function image(book: RunnerBook): RunnerChange {
  const toPairs = (m: Map<number, number>): PriceSizes => [...m].map(([p, s]) => [p, s / 100]);
  return {
    ...(book.back.size > 0 && { atb: toPairs(book.back) }),
    ...(book.lay.size > 0 && { atl: toPairs(book.lay) }),
    ...(book.traded.size > 0 && { trd: toPairs(book.traded) }),
    ...(book.ltp !== undefined && { ltp: book.ltp }),
    ...(book.tvPence > 0 && { tv: book.tvPence / 100 }),
    id: book.selectionId,
  };
}

function ticksDown(from: number): number[] {
  return Array.from({ length: DEPTH }, (_, i) => from - i).filter((t) => t >= 0);
}

function ticksUp(from: number): number[] {
  return Array.from({ length: DEPTH }, (_, i) => from + i).filter((t) => t <= MAX_TICK);
}

/** New sizes at `ticks`, keeping about half of the sizes already offered at the same prices. */
function levels(current: Map<number, number>, ticks: number[], rng: Rng): Map<number, number> {
  const next = new Map<number, number>();
  for (const tick of ticks) {
    const price = priceAt(tick);
    const kept = current.get(price);
    const fresh = Math.round((200 + rng.next() * 30_000) / Math.sqrt(price));
    next.set(price, kept !== undefined && rng.chance(0.5) ? kept : Math.max(1, fresh));
  }
  return next;
}

function diff(before: Map<number, number>, after: Map<number, number>): PriceSizes {
  const changes: PriceSizes = [];
  for (const [price, size] of after) {
    if (before.get(price) !== size) changes.push([price, size / 100]);
  }
  for (const price of before.keys()) if (!after.has(price)) changes.push([price, 0]);
  return changes;
}

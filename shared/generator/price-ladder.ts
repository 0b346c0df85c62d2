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

/** A deterministic pseudo-random source; the same seed always gives the same sequence. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
}

/** A mulberry32 generator: tiny, fast and good enough for synthetic market data. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick needs a non-empty array');
      return items[Math.floor(next() * items.length)] as T;
    },
  };
}

/**
 * A seed for an independent stream, from a parent seed and a label (FNV-1a), so one market's
 * data does not change when another market is added before it.
 */
export function deriveSeed(seed: number, label: string): number {
  let hash = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (const char of label) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A generator of its own for one named thing (a race, a market), independent of the others. */
export function rngFor(seed: number, label: string): Rng {
  return createRng(deriveSeed(seed, label));
}

/** A float in [0, 1) fixed by a seed and a label, so any value can be recomputed on demand. */
export function hashUnit(seed: number, label: string): number {
  return rngFor(seed, label).next();
}

/** A shuffled copy of `items` (Fisher–Yates, drawing from `rng`). */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** A runner as the result draw sees it; a non-runner has `removedAt` set. */
export interface Finisher {
  /** Win probability in the opening book. */
  probability: number;
  removedAt?: number;
  /** Set by the draw: 1 for the winner; non-runners keep theirs (0). */
  finishPosition: number;
}

/**
 * Draws the finishing order of the runners that run in proportion to win probability (a
 * Plackett–Luce draw), setting each one's finishPosition.
 */
export function assignFinishingOrder(runners: Finisher[], rng: Rng): void {
  const left = runners.filter((r) => r.removedAt === undefined);
  for (let position = 1; left.length > 0; position++) {
    const total = left.reduce((sum, r) => sum + r.probability, 0);
    let draw = rng.next() * total;
    let index = left.findIndex((r) => (draw -= r.probability) < 0);
    if (index < 0) index = left.length - 1;
    const [runner] = left.splice(index, 1);
    if (runner) runner.finishPosition = position;
  }
}

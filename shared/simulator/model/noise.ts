import { createRng, deriveSeed, type Rng } from '../../generator/rng.js';

/** A float in [0, 1) fixed by a seed and a label, so any value can be recomputed on demand. */
export function hashUnit(seed: number, label: string): number {
  return createRng(deriveSeed(seed, label)).next();
}

/** A generator of its own for one named thing (a race, a market), independent of the others. */
export function rngFor(seed: number, label: string): Rng {
  return createRng(deriveSeed(seed, label));
}

/** A smooth wobble in [-1, 1] over time: two slow waves with seeded phases and periods. */
export function wobble(seed: number, label: string, timeMs: number): number {
  const minutes = timeMs / 60_000;
  const rng = rngFor(seed, `wobble:${label}`);
  const [p1, p2, phase1, phase2] = [rng.next(), rng.next(), rng.next(), rng.next()];
  const slow = Math.sin((2 * Math.PI * minutes) / (40 + 80 * p1) + 2 * Math.PI * phase1);
  const fast = Math.sin((2 * Math.PI * minutes) / (5 + 10 * p2) + 2 * Math.PI * phase2);
  return 0.65 * slow + 0.35 * fast;
}

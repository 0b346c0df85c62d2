import type { Rng } from './rng.js';

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

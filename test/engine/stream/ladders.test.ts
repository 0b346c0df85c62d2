import { describe, expect, it } from 'vitest';
import {
  applyLevelTriples,
  newLevelLadder,
  PriceLadder,
} from '../../../shared/engine/stream/ladders.js';

/** A deterministic sequence in [0, 1), so a failure can be replayed. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('a price ladder', () => {
  it('matches a Map of price → size, kept sorted, over thousands of random sets and deletes', () => {
    const next = sequence(7);
    const ladder = new PriceLadder();
    const model = new Map<number, number>();
    for (let step = 0; step < 5000; step++) {
      const price = Math.round((1.01 + next() * 40) * 100) / 100;
      const size = next() < 0.35 ? 0 : Math.round(next() * 10_000) / 100;
      ladder.apply(price, size);
      if (size === 0) model.delete(price);
      else model.set(price, size);
    }
    const expected = [...model].sort((a, b) => a[0] - b[0]);
    expect(ladder.size).toBe(model.size);
    expect(ladder.pairs()).toEqual(expected);
    expect(ladder.pairs(true)).toEqual([...expected].reverse());
    expect(ladder.extreme(true)).toBe(expected.at(-1)?.[0]);
    expect(ladder.extreme(false)).toBe(expected[0]?.[0]);
    const total = expected.reduce((sum, [, size]) => sum + size, 0);
    expect(ladder.volume()).toBeCloseTo(total, 6);
    for (const [price, size] of expected) expect(ladder.get(price)).toBe(size);
  });

  it('copies independently, and an empty ladder has no extremes', () => {
    const ladder = new PriceLadder();
    expect(ladder.extreme(true)).toBeNull();
    ladder.apply(2, 5);
    const copy = ladder.copy();
    ladder.apply(2, 0);
    ladder.apply(3, 1);
    expect(copy.pairs()).toEqual([[2, 5]]);
    copy.apply(1.5, 1);
    expect(copy.pairs()).toEqual([
      [1.5, 1],
      [2, 5],
    ]);
    expect(ladder.pairs()).toEqual([[3, 1]]);
  });
});

describe('a level ladder', () => {
  it('counts unusable triples and skips them', () => {
    const ladder = newLevelLadder();
    const bad = applyLevelTriples(ladder, [
      [0, 2, 5],
      [1.5, 2, 5],
      [-1, 2, 5],
      [100, 2, 5],
    ] as [number, number, number][]);
    expect(bad).toBe(3);
    expect(ladder.sizes).toEqual([5]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  isOnLadder,
  nearestTick,
  PRICE_LADDER,
  priceAt,
} from '../../../shared/local/generator/runner-book.js';

describe('PRICE_LADDER', () => {
  it('has Betfair’s 350 ticks from 1.01 to 1000, ascending', () => {
    expect(PRICE_LADDER).toHaveLength(350);
    expect(PRICE_LADDER[0]).toBe(1.01);
    expect(PRICE_LADDER.at(-1)).toBe(1000);
    expect(PRICE_LADDER.every((p, i) => i === 0 || p > PRICE_LADDER[i - 1]!)).toBe(true);
  });

  it.each([
    [1.99, 2, 2.02],
    [2.98, 3, 3.05],
    [3.95, 4, 4.1],
    [5.9, 6, 6.2],
    [9.8, 10, 10.5],
    [19.5, 20, 21],
    [29, 30, 32],
    [48, 50, 55],
    [95, 100, 110],
  ])('steps %s → %s → %s across a band edge', (below, edge, above) => {
    const tick = PRICE_LADDER.indexOf(edge);
    expect([priceAt(tick - 1), priceAt(tick), priceAt(tick + 1)]).toEqual([below, edge, above]);
  });

  it.each([
    [2.01, false],
    [3.02, false],
    [1000, true],
    [1.005, false],
    [990, true],
  ])('isOnLadder(%s) is %s', (price, expected) => {
    expect(isOnLadder(price)).toBe(expected);
  });

  it('rounds any odds to the nearest tick', () => {
    expect(priceAt(nearestTick(3.33))).toBe(3.35);
    expect(priceAt(nearestTick(5000))).toBe(1000);
  });
});

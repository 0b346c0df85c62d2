import { describe, expect, it } from 'vitest';
import type { MarketChange } from '../../../../shared/engine/stream/stream-message.js';
import { marketDelta } from '../../../../shared/live/recorder/stream/mcm-delta.js';

const definition = { status: 'OPEN' as const, inPlay: false, runners: [] };

function image(rc: MarketChange['rc'], tv = 10): MarketChange {
  return { id: '1.5', img: true, marketDefinition: definition, rc, tv };
}

describe('the change between two images of a market', () => {
  it('is nothing when nothing changed', () => {
    const rc = [{ id: 1, atb: [[3, 10]] as [number, number][], ltp: 3 }];
    expect(marketDelta(image(rc), image(structuredClone(rc)))).toBeUndefined();
  });

  it('names changed and removed price keys and levels, and changed scalars only', () => {
    const before = image([
      {
        id: 1,
        atb: [
          [3, 10],
          [2.9, 5],
        ],
        batl: [
          [0, 3.1, 4],
          [1, 3.2, 8],
        ],
        ltp: 3,
        tv: 50,
      },
      { id: 2, atb: [[5, 1]], ltp: 5 },
    ]);
    const after = image(
      [
        { id: 1, atb: [[3, 12]], batl: [[0, 3.1, 4]], ltp: 3.05, tv: 50 },
        { id: 2, atb: [[5, 1]], ltp: 5 },
      ],
      60,
    );
    expect(marketDelta(before, after)).toEqual({
      id: '1.5',
      tv: 60,
      rc: [
        {
          id: 1,
          atb: [
            [3, 12],
            [2.9, 0],
          ],
          batl: [[1, 0, 0]],
          ltp: 3.05,
        },
      ],
    });
  });

  it('carries the whole definition when any of it changed', () => {
    const after = { ...image([]), marketDefinition: { ...definition, inPlay: true } };
    expect(marketDelta(image([]), after)).toEqual({
      id: '1.5',
      marketDefinition: after.marketDefinition,
    });
  });

  it('asks for a new image when a runner or a scalar disappears', () => {
    expect(marketDelta(image([{ id: 1 }, { id: 2 }]), image([{ id: 1 }]))).toBe('image');
    expect(marketDelta(image([{ id: 1, ltp: 3 }]), image([{ id: 1 }]))).toBe('image');
  });
});

import { describe, expect, it } from 'vitest';
import { BLOCK_MAGIC, BlockMagicScanner } from '../../../shared/engine/bz2/compressed-input.js';
import { ByteWindow } from '../../../shared/engine/bz2/compressed-input.js';
import { seededRandom } from './ndjson-fixture.js';

/** Random bytes with the 48-bit block magic written at each of `bits`. */
function withMagicAt(size: number, bits: number[]): Buffer {
  const random = seededRandom(11);
  const buf = Buffer.from(Array.from({ length: size }, () => Math.floor(random() * 256)));
  for (const bit of bits) {
    for (let i = 0; i < 48; i++) {
      const value = Math.floor(BLOCK_MAGIC / 2 ** (47 - i)) % 2;
      const at = bit + i;
      const mask = 0x80 >>> (at & 7);
      buf[at >>> 3] = value ? buf[at >>> 3]! | mask : buf[at >>> 3]! & ~mask;
    }
  }
  return buf;
}

describe('BlockMagicScanner', () => {
  const bits = [
    0,
    8 * 100 + 1,
    8 * 200 + 2,
    8 * 300 + 3,
    8 * 400 + 4,
    8 * 500 + 5,
    8 * 600 + 6,
    8 * 700 + 7,
    8 * 1000 - 48,
  ];

  it.each([1, 3, 7, 64, 100_000])(
    'finds the magic at every bit shift with %i-byte chunks',
    (size) => {
      const data = withMagicAt(1000, bits);
      const scanner = new BlockMagicScanner();
      const hits: number[] = [];
      for (let i = 0; i < data.length; i += size)
        hits.push(...scanner.push(data.subarray(i, i + size)));
      expect(hits).toEqual(bits);
    },
  );

  it('finds nothing in data without the magic', () => {
    expect(new BlockMagicScanner().push(withMagicAt(5000, []))).toEqual([]);
  });
});

describe('ByteWindow', () => {
  it('copies and reads bits across chunk boundaries, after discarding', () => {
    const window = new ByteWindow();
    for (const chunk of [[0x12, 0x34], [0x56], [0x78, 0x9a, 0xbc]])
      window.append(Uint8Array.from(chunk));
    expect(Array.from(window.copy(1, 5))).toEqual([0x34, 0x56, 0x78, 0x9a]);
    expect(window.bits(4, 24)).toBe(0x234567);
    expect(window.bits(12, 32)).toBe(0x456789ab);
    window.discardBefore(3);
    expect(window.bits(24, 8)).toBe(0x78);
    expect(() => window.copy(0, 2)).toThrow(RangeError);
  });
});

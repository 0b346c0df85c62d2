import { describe, expect, it } from 'vitest';
import { bzip2Crc, combineCrc } from '../../../shared/engine/bz2/crc32.js';

describe('bzip2Crc', () => {
  it.each([
    ['', 0x00000000],
    ['a', 0x19939b6b],
    ['123456789', 0xfc891918], // the CRC-32/BZIP2 check value
    ['The quick brown fox jumps over the lazy dog', 0x459dee61],
  ])('CRC of %j is %i', (text, crc) => {
    expect(bzip2Crc(Buffer.from(text))).toBe(crc);
  });

  it('honours an explicit length', () => {
    expect(bzip2Crc(Buffer.from('123456789xyz'), 9)).toBe(0xfc891918);
  });
});

describe('combineCrc', () => {
  it('rotates left by one and xors the block CRC', () => {
    expect(combineCrc(0, 0x12345678)).toBe(0x12345678);
    expect(combineCrc(0x80000001, 0)).toBe(0x00000003);
  });
});

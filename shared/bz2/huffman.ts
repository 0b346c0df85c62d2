import { BlockDecodeError } from './bit-reader.js';

/** Codes up to this many bits decode with one table lookup; longer ones take a slower path. */
export const LOOKUP_BITS = 10;
/** bzip2 never emits codes longer than 20 bits. */
export const MAX_CODE_BITS = 20;
/** At most 256 byte values + RUNA/RUNB/EOB, and at most six coding groups per block. */
export const MAX_ALPHABET = 258;
export const MAX_GROUPS = 6;
const LENGTHS = MAX_CODE_BITS + 1;

/**
 * Canonical Huffman decoding tables for up to six coding groups, reused block after block.
 * `lookup[(group << LOOKUP_BITS) | next10bits]` is `(symbol << 5) | codeLength`, or 0 when
 * the code is longer than LOOKUP_BITS; longer codes are resolved from `firstCode`, `count`,
 * `firstIndex` and `perm` (symbols ordered by code length, then by value).
 */
export class HuffmanTables {
  readonly lookup = new Int32Array(MAX_GROUPS << LOOKUP_BITS);
  readonly firstCode = new Int32Array(MAX_GROUPS * LENGTHS);
  readonly count = new Int32Array(MAX_GROUPS * LENGTHS);
  readonly firstIndex = new Int32Array(MAX_GROUPS * LENGTHS);
  readonly perm = new Uint16Array(MAX_GROUPS * MAX_ALPHABET);
  readonly maxLength = new Uint8Array(MAX_GROUPS);
  private readonly next = new Int32Array(LENGTHS);

  /** Builds group `group`'s tables from its code lengths (each 1..20) for `alphaSize` symbols. */
  build(group: number, lengths: Uint8Array, alphaSize: number): void {
    const base = group * LENGTHS;
    const { count, firstCode, firstIndex, perm, next } = this;
    count.fill(0, base, base + LENGTHS);
    let maxLength = 0;
    for (let s = 0; s < alphaSize; s++) {
      const len = lengths[s]!;
      count[base + len]!++;
      if (len > maxLength) maxLength = len;
    }
    let code = 0;
    let index = 0;
    for (let len = 1; len < LENGTHS; len++) {
      firstCode[base + len] = code;
      firstIndex[base + len] = index;
      next[len] = index;
      code += count[base + len]!;
      index += count[base + len]!;
      if (code > 1 << len)
        throw new BlockDecodeError('Huffman code lengths are inconsistent', 'corrupt');
      code <<= 1;
    }
    const permBase = group * MAX_ALPHABET;
    for (let s = 0; s < alphaSize; s++) perm[permBase + next[lengths[s]!]!++] = s;
    this.maxLength[group] = maxLength;
    this.fillLookup(group);
  }

  private fillLookup(group: number): void {
    const base = group * LENGTHS;
    const tableBase = group << LOOKUP_BITS;
    this.lookup.fill(0, tableBase, tableBase + (1 << LOOKUP_BITS));
    for (let len = 1; len <= LOOKUP_BITS; len++) {
      const n = this.count[base + len]!;
      const span = 1 << (LOOKUP_BITS - len);
      for (let k = 0; k < n; k++) {
        const symbol = this.perm[group * MAX_ALPHABET + this.firstIndex[base + len]! + k]!;
        const start = tableBase + ((this.firstCode[base + len]! + k) << (LOOKUP_BITS - len));
        this.lookup.fill((symbol << 5) | len, start, start + span);
      }
    }
  }
}

import { BlockDecodeError, type BitReader } from './bit-reader.js';
import { HuffmanTables, MAX_ALPHABET, MAX_CODE_BITS } from './huffman.js';

/** bzip2 1.0.6+ reads up to 32767 selectors but only 18002 can ever be used (900k / 50). */
const MAX_USED_SELECTORS = 18002;

/** What precedes a block's Huffman-coded symbols, with the symbol tables already built. */
export interface BlockHeader {
  blockCrc: number;
  origPtr: number;
  /** Byte values present in the block, in ascending order (the initial MTF list). */
  inUse: Uint8Array;
  nInUse: number;
  nSelectors: number;
}

/** Reusable buffers for header parsing, owned by one BlockDecoder. */
export class HeaderScratch {
  readonly tables = new HuffmanTables();
  readonly inUse = new Uint8Array(256);
  readonly selectors = new Uint8Array(MAX_USED_SELECTORS);
  readonly lengths = new Uint8Array(MAX_ALPHABET);
  readonly selectorMtf = new Uint8Array(8);
}

function corrupt(message: string): BlockDecodeError {
  return new BlockDecodeError(message, 'corrupt');
}

/** Reads the block marker, CRC, origin pointer, symbol map, selectors and code lengths. */
export function readBlockHeader(r: BitReader, s: HeaderScratch): BlockHeader {
  if (r.read(24) !== 0x314159 || r.read(24) !== 0x265359) {
    throw corrupt('block does not start with the block marker');
  }
  const blockCrc = r.read(16) * 0x10000 + r.read(16);
  if (r.flag()) {
    throw new BlockDecodeError(
      'randomised blocks (bzip2 0.9.0 and older) are not supported',
      'unsupported',
    );
  }
  const origPtr = r.read(24);
  const nInUse = readSymbolMap(r, s.inUse);
  const alphaSize = nInUse + 2;
  const nGroups = r.read(3);
  if (nGroups < 2 || nGroups > 6) throw corrupt(`block declares ${nGroups} Huffman groups`);
  const nSelectors = readSelectors(r, s, nGroups);
  for (let g = 0; g < nGroups; g++) {
    readCodeLengths(r, s.lengths, alphaSize);
    s.tables.build(g, s.lengths, alphaSize);
  }
  return { blockCrc, origPtr, inUse: s.inUse, nInUse, nSelectors };
}

function readSymbolMap(r: BitReader, inUse: Uint8Array): number {
  const ranges = r.read(16);
  let n = 0;
  for (let i = 0; i < 16; i++) {
    if ((ranges & (0x8000 >>> i)) === 0) continue;
    const bits = r.read(16);
    for (let j = 0; j < 16; j++) if (bits & (0x8000 >>> j)) inUse[n++] = i * 16 + j;
  }
  if (n === 0) throw corrupt('block uses no byte values');
  return n;
}

function readSelectors(r: BitReader, s: HeaderScratch, nGroups: number): number {
  const declared = r.read(15);
  if (declared === 0) throw corrupt('block has no Huffman selectors');
  const mtf = s.selectorMtf;
  for (let g = 0; g < nGroups; g++) mtf[g] = g;
  const kept = Math.min(declared, MAX_USED_SELECTORS);
  for (let i = 0; i < declared; i++) {
    let j = 0;
    while (r.flag()) if (++j >= nGroups) throw corrupt('Huffman selector out of range');
    if (i >= kept) continue;
    const group = mtf[j]!;
    for (; j > 0; j--) mtf[j] = mtf[j - 1]!;
    mtf[0] = group;
    s.selectors[i] = group;
  }
  return kept;
}

function readCodeLengths(r: BitReader, lengths: Uint8Array, alphaSize: number): void {
  let len = r.read(5);
  for (let sym = 0; sym < alphaSize; sym++) {
    for (;;) {
      if (len < 1 || len > MAX_CODE_BITS) throw corrupt(`Huffman code length ${len} out of range`);
      if (!r.flag()) break;
      len += r.flag() ? -1 : 1;
    }
    lengths[sym] = len;
  }
}

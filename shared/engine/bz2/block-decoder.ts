import { bzip2Crc } from './crc32.js';

/**
 * Thrown by the block decoder. `needMore` means the decoder read past the bits it was given,
 * so the block may simply continue beyond them; otherwise the data itself is bad.
 */
export class BlockDecodeError extends Error {
  override readonly name = 'BlockDecodeError';

  constructor(
    message: string,
    readonly reason: 'corrupt' | 'need-more' | 'unsupported',
  ) {
    super(message);
  }
}

/**
 * A most-significant-bit-first reader over a byte array, for the block header. Bits past the
 * end of `data` read as zero; `overran` says whether more than `limitBit` bits were consumed.
 */
export class BitReader {
  constructor(
    private readonly data: Uint8Array,
    public bit: number,
    private readonly limitBit: number,
  ) {}

  /** Reads `n` (1..24) bits as an unsigned number. */
  read(n: number): number {
    const byte = this.bit >>> 3;
    const d = this.data;
    const len = d.length;
    const word =
      ((byte < len ? d[byte]! : 0) << 24) |
      ((byte + 1 < len ? d[byte + 1]! : 0) << 16) |
      ((byte + 2 < len ? d[byte + 2]! : 0) << 8) |
      (byte + 3 < len ? d[byte + 3]! : 0);
    const value = ((word << (this.bit & 7)) >>> (32 - n)) >>> 0;
    this.bit += n;
    if (this.bit > this.limitBit + 64) throw this.overrunError();
    return value;
  }

  /** Reads one bit as a boolean. */
  flag(): boolean {
    return this.read(1) === 1;
  }

  /** True when the reader consumed bits beyond the limit it was given. */
  get overran(): boolean {
    return this.bit > this.limitBit;
  }

  private overrunError(): BlockDecodeError {
    return new BlockDecodeError('block continues past the available data', 'need-more');
  }
}

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

/*
 * Our own bzip2 block decoder, used instead of seek-bzip's decodeBlock on the hot path.
 *
 * Why: seek-bzip decodes Huffman codes a bit at a time and allocates per block; measured on
 * this 2-core machine it runs at 16.4 MB/s against 24.7 MB/s for `bzip2 -dc`, and over two
 * worker threads reaches only ~20 MB/s, short of the 1.0x target. This decoder resolves codes
 * of up to LOOKUP_BITS bits with one table lookup, keeps the bit buffer in locals, runs the
 * inverse BWT over one reused Uint32Array and allocates nothing per symbol. Measured on
 * generated Betfair-like NDJSON (bzip2 -9), one thread: 34-37 MB/s (bzip2 -dc 42-47 MB/s on
 * the same files when the machine is quiet); on the 3 MB real PRO sample 36 MB/s. Two worker
 * threads reached 62 MB/s (2.4x bzip2 -dc in that run); see test/bench/bz2.bench.ts.
 * Two-thirds of the time is the inverse BWT's dependent loads, as in C. seek-bzip stays the
 * reference the tests cross-check against.
 *
 * The symbol loop is one long function on purpose: splitting it into calls per symbol costs
 * measurable speed in V8.
 */

/** A decode error; 'need-more' when the decoder had already consumed bits past its limit. */
function failAt(consumedBit: number, limitBit: number, message: string): BlockDecodeError {
  return consumedBit > limitBit
    ? new BlockDecodeError('block continues past the available data', 'need-more')
    : new BlockDecodeError(message, 'corrupt');
}

/** One decoded block: its bytes, its stored CRC (already verified) and where it ended. */
export interface DecodedBlock {
  output: Uint8Array;
  blockCrc: number;
  /** Bit offset in the input just after the block's last bit. */
  endBit: number;
  /** Bytes in the block before the final run-length decoding (at most level × 100 000). */
  blockLength: number;
}

const LOOKUP_MASK = (1 << LOOKUP_BITS) - 1;
/**
 * Decodes single bzip2 blocks. Holds ~4 MB of reusable state, so keep one per thread.
 * Not reentrant.
 */
export class BlockDecoder {
  private tt = new Uint32Array(0);
  private readonly counts = new Int32Array(256);
  private readonly mtf = new Uint8Array(256);
  private readonly scratch = new HeaderScratch();
  private endBit = 0;

  /**
   * Decodes the block whose marker starts at `bitStart` in `data`, using no bits at or after
   * `bitLimit`. `maxBlockSize` is the stream's level × 100 000. Throws BlockDecodeError:
   * 'need-more' when the block runs past `bitLimit`, 'corrupt' when the data is bad.
   */
  decode(data: Uint8Array, bitStart: number, bitLimit: number, maxBlockSize: number): DecodedBlock {
    if (this.tt.length < maxBlockSize) this.tt = new Uint32Array(maxBlockSize);
    const reader = new BitReader(data, bitStart, bitLimit);
    let header: BlockHeader;
    try {
      header = readBlockHeader(reader, this.scratch);
    } catch (error) {
      if (error instanceof BlockDecodeError && error.reason === 'corrupt' && reader.overran) {
        throw new BlockDecodeError('block header continues past the available data', 'need-more');
      }
      throw error;
    }
    const nblock = this.decodeSymbols(data, reader.bit, bitLimit, header, maxBlockSize);
    if (header.origPtr >= nblock) {
      throw new BlockDecodeError('block origin pointer is out of range', 'corrupt');
    }
    const output = this.inverseBwt(nblock, header.origPtr);
    if (bzip2Crc(output) !== header.blockCrc) {
      throw new BlockDecodeError('failed its CRC check', 'corrupt');
    }
    return { output, blockCrc: header.blockCrc, endBit: this.endBit, blockLength: nblock };
  }

  /** Huffman + MTF + run-length (RUNA/RUNB) decoding into `tt`; returns the block length. */
  private decodeSymbols(
    data: Uint8Array,
    startBit: number,
    limitBit: number,
    h: BlockHeader,
    maxBlock: number,
  ): number {
    const { tt, counts, mtf } = this;
    const { lookup, firstCode, count, firstIndex, perm, maxLength } = this.scratch.tables;
    const selectors = this.scratch.selectors;
    const nSelectors = h.nSelectors;
    counts.fill(0);
    for (let i = 0; i < h.nInUse; i++) mtf[i] = h.inUse[i]!;
    const eob = h.nInUse + 1;
    const end = data.length;
    let pos = startBit >>> 3;
    let bitBuf = pos < end ? data[pos]! : 0;
    let bitCount = 8 - (startBit & 7);
    pos++;
    let nblock = 0;
    let runLength = 0;
    let runWeight = 1;
    let selector = 0;
    let groupLeft = 0;
    let group = 0;
    let tableBase = 0;

    for (;;) {
      if (groupLeft === 0) {
        if (selector >= nSelectors)
          throw failAt(pos * 8 - bitCount, limitBit, 'block has more symbols than selectors');
        group = selectors[selector++]!;
        tableBase = group << LOOKUP_BITS;
        groupLeft = 50;
      }
      groupLeft--;
      while (bitCount < MAX_CODE_BITS) {
        if (pos >= end + 4)
          throw failAt(pos * 8 - bitCount, limitBit, 'block continues past the available data');
        bitBuf = (bitBuf << 8) | (pos < end ? data[pos]! : 0);
        pos++;
        bitCount += 8;
      }
      let sym: number;
      const entry = lookup[tableBase + ((bitBuf >>> (bitCount - LOOKUP_BITS)) & LOOKUP_MASK)]!;
      if (entry !== 0) {
        bitCount -= entry & 31;
        sym = entry >>> 5;
      } else {
        // Rare: a code longer than LOOKUP_BITS, resolved canonically length by length.
        const peek = (bitBuf >>> (bitCount - MAX_CODE_BITS)) & 0xfffff;
        const base = group * LENGTHS;
        const top = maxLength[group]!;
        sym = -1;
        for (let len = LOOKUP_BITS + 1; len <= top; len++) {
          const d = (peek >>> (MAX_CODE_BITS - len)) - firstCode[base + len]!;
          if (d >= 0 && d < count[base + len]!) {
            sym = perm[group * MAX_ALPHABET + firstIndex[base + len]! + d]!;
            bitCount -= len;
            break;
          }
        }
        if (sym < 0) throw failAt(pos * 8 - bitCount, limitBit, 'invalid Huffman code');
      }

      if (sym <= 1) {
        // RUNA (0) / RUNB (1): bijective base-2 digits of a run of the front MTF symbol.
        runLength += runWeight << sym;
        runWeight <<= 1;
        if (runLength > maxBlock)
          throw failAt(pos * 8 - bitCount, limitBit, 'run length exceeds the block size');
        continue;
      }
      if (runLength > 0) {
        if (nblock + runLength > maxBlock)
          throw failAt(pos * 8 - bitCount, limitBit, 'block is longer than its declared size');
        const b = mtf[0]!;
        counts[b]! += runLength;
        tt.fill(b, nblock, nblock + runLength);
        nblock += runLength;
        runLength = 0;
        runWeight = 1;
      }
      if (sym === eob) break;
      if (nblock >= maxBlock)
        throw failAt(pos * 8 - bitCount, limitBit, 'block is longer than its declared size');
      let i = sym - 1;
      const b = mtf[i]!;
      if (i < 16) {
        for (; i > 0; i--) mtf[i] = mtf[i - 1]!;
      } else {
        mtf.copyWithin(1, 0, i);
      }
      mtf[0] = b;
      counts[b]!++;
      tt[nblock++] = b;
    }
    this.endBit = pos * 8 - bitCount;
    if (this.endBit > limitBit)
      throw failAt(pos * 8 - bitCount, limitBit, 'block continues past the available data');
    return nblock;
  }

  /** Undoes the BWT and the initial run-length encoding (4 equal bytes + a count). */
  private inverseBwt(nblock: number, origPtr: number): Uint8Array {
    const { tt, counts } = this;
    let sum = 0;
    for (let b = 0; b < 256; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < nblock; i++) {
      const b = tt[i]! & 0xff;
      tt[counts[b]!++]! |= i << 8;
    }
    let capacity = nblock + 256;
    let out = new Uint8Array(capacity);
    let outLen = 0;
    let prev = -1;
    let repeats = 0;
    let tPos = tt[origPtr]! >>> 8;
    for (let k = 0; k < nblock; k++) {
      const e = tt[tPos]!;
      tPos = e >>> 8;
      const b = e & 0xff;
      if (repeats === 4) {
        // b is a count of extra copies of the run's byte.
        if (outLen + b + (nblock - k) > capacity) {
          capacity = Math.max(capacity * 2, outLen + b + (nblock - k));
          const bigger = new Uint8Array(capacity);
          bigger.set(out.subarray(0, outLen));
          out = bigger;
        }
        for (let n = 0; n < b; n++) out[outLen++] = prev;
        repeats = 0;
        prev = -1;
      } else {
        out[outLen++] = b;
        if (b === prev) repeats++;
        else {
          prev = b;
          repeats = 1;
        }
      }
    }
    return out.subarray(0, outLen);
  }
}

/** The largest block any bzip2 stream may hold (level 9). */
export const MAX_BLOCK_SIZE = 900_000;

/**
 * One speculative unit of work: decode the block whose marker starts at `bitStart` of
 * `data`, using no bits at or after `bitLimit`. `data` is a private copy, so it can be
 * transferred to a worker thread.
 */
export interface BlockTask {
  data: Uint8Array;
  bitStart: number;
  bitLimit: number;
  /** Called with `data` once a worker has handed it back, so its buffer can be reused. */
  recycle?: (data: Uint8Array) => void;
}

/** What a block task produced; failures are values so they cross thread boundaries intact. */
export type BlockTaskResult =
  | { ok: true; output: Uint8Array; blockCrc: number; endBit: number; blockLength: number }
  | { ok: false; reason: BlockDecodeError['reason']; message: string };

/** Runs a task on this thread; never throws for bad data. */
export function runBlockTask(decoder: BlockDecoder, task: BlockTask): BlockTaskResult {
  try {
    const block = decoder.decode(task.data, task.bitStart, task.bitLimit, MAX_BLOCK_SIZE);
    return { ok: true, ...block };
  } catch (error) {
    if (error instanceof BlockDecodeError) {
      return { ok: false, reason: error.reason, message: error.message };
    }
    throw error;
  }
}

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
import { BitReader, BlockDecodeError } from './bit-reader.js';
import { HeaderScratch, readBlockHeader, type BlockHeader } from './block-header.js';
import { bzip2Crc } from './crc32.js';
import { LOOKUP_BITS, MAX_ALPHABET, MAX_CODE_BITS } from './huffman.js';

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
const LENGTHS = MAX_CODE_BITS + 1;

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

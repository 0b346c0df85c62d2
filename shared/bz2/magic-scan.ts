/** The 48-bit marker that starts every bzip2 block (the BCD digits of pi). */
export const BLOCK_MAGIC = 0x314159265359;
/** The 48-bit marker that ends a bzip2 stream (the BCD digits of sqrt(pi)). */
export const END_OF_STREAM_MAGIC = 0x177245385090;

interface ShiftedPattern {
  shift: number;
  /** The bytes entirely covered by the magic at this bit shift, searched with indexOf. */
  core: Buffer;
  coreOffset: number;
  head: number;
  headMask: number;
  tail: number;
  tailMask: number;
  /** Bytes the pattern spans from its first partial byte to its last. */
  span: number;
}

function shiftedPatterns(magic: number): ShiftedPattern[] {
  return Array.from({ length: 8 }, (_, shift) => {
    // 56-bit big-endian image of the magic starting `shift` bits into its first byte.
    const bytes = Buffer.alloc(7);
    const value = BigInt(magic) << BigInt(8 - shift);
    for (let i = 0; i < 7; i++) bytes[i] = Number((value >> BigInt(8 * (6 - i))) & 0xffn);
    if (shift === 0) {
      const core = bytes.subarray(0, 6);
      return { shift, core, coreOffset: 0, head: 0, headMask: 0, tail: 0, tailMask: 0, span: 6 };
    }
    const headMask = 0xff >>> shift;
    const tailMask = (0xff << (8 - shift)) & 0xff;
    return {
      shift,
      core: bytes.subarray(1, 6),
      coreOffset: 1,
      head: bytes[0]! & headMask,
      headMask,
      tail: bytes[6]! & tailMask,
      tailMask,
      span: 7,
    };
  });
}

const BLOCK_PATTERNS = shiftedPatterns(BLOCK_MAGIC);

/**
 * Finds every bit offset where the block magic occurs in a byte stream fed in chunks, using
 * Buffer.indexOf on the whole bytes of each of the 8 bit alignments. Hits are only candidates:
 * the magic can also occur by chance inside compressed data.
 */
export class BlockMagicScanner {
  private carry = Buffer.alloc(0);
  private carryStart = 0;

  /** Scans the next chunk; returns the absolute bit offsets of new hits, ascending. */
  push(chunk: Uint8Array): number[] {
    const carryLength = this.carry.length;
    const buf = Buffer.concat([this.carry, chunk]);
    const base = this.carryStart;
    const hits: number[] = [];
    for (const p of BLOCK_PATTERNS) {
      let from = 0;
      for (;;) {
        const at = buf.indexOf(p.core, from);
        if (at < 0) break;
        from = at + 1;
        const start = at - p.coreOffset;
        // Hits ending inside the carry were reported with the previous chunk.
        if (start < 0 || start + p.span > buf.length || start + p.span <= carryLength) continue;
        if ((buf[start]! & p.headMask) !== p.head) continue;
        if (p.span === 7 && (buf[start + 6]! & p.tailMask) !== p.tail) continue;
        hits.push((base + start) * 8 + p.shift);
      }
    }
    const keep = Math.min(6, buf.length);
    this.carry = Buffer.from(buf.subarray(buf.length - keep));
    this.carryStart = base + buf.length - keep;
    return hits.sort((a, b) => a - b);
  }
}

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

/**
 * True when `head` starts like a bzip2 stream: "BZh" and a block-size digit 1–9. Needs the
 * first 4 bytes; a 0-byte file is not recognised (though decodeBzip2 accepts it as empty).
 */
export function isBzip2Magic(head: Uint8Array): boolean {
  return (
    head.length >= 4 &&
    head[0] === 0x42 &&
    head[1] === 0x5a &&
    head[2] === 0x68 &&
    head[3]! >= 0x31 &&
    head[3]! <= 0x39
  );
}

/**
 * A few reusable ArrayBuffers for block-task input. Worker threads hand each task's input
 * back, so the main thread does not allocate (and the workers do not leave behind) a fresh
 * megabyte per block: V8 frees transferred buffers only on a GC that may come late, which
 * showed up as ~200 MB of extra RSS on a 1 GB file.
 */
export class BufferRecycler {
  private readonly free: ArrayBuffer[] = [];

  constructor(private readonly keep: number) {}

  /** A zero-offset view of `size` bytes on a recycled or new buffer (contents undefined). */
  take(size: number): Uint8Array<ArrayBuffer> {
    const index = this.free.findIndex((b) => b.byteLength >= size);
    const buffer = index >= 0 ? this.free.splice(index, 1)[0]! : new ArrayBuffer(roundUp(size));
    return new Uint8Array(buffer, 0, size);
  }

  /** Returns a buffer for reuse; beyond `keep` buffers the smallest is dropped. */
  give(view: Uint8Array): void {
    if (view.buffer.byteLength === 0 || !(view.buffer instanceof ArrayBuffer)) return;
    this.free.push(view.buffer);
    if (this.free.length > this.keep) {
      this.free.sort((a, b) => b.byteLength - a.byteLength);
      this.free.pop();
    }
  }
}

function roundUp(size: number): number {
  const step = 256 * 1024;
  return Math.max(step, Math.ceil(size / step) * step);
}

/**
 * The compressed bytes between the decoder's confirmed position and what has been read so
 * far, kept as the chunks they arrived in (no re-concatenation on every read), addressed by
 * absolute byte offset in the input.
 */
export class ByteWindow {
  private chunks: Uint8Array[] = [];
  private startByte = 0;
  /** Absolute offset just past the last byte received. */
  endByte = 0;

  /** Adds the next chunk of input. */
  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.endByte += chunk.length;
  }

  /** Forgets whole chunks that end at or before absolute offset `byte`. */
  discardBefore(byte: number): void {
    while (this.chunks.length > 0 && this.startByte + this.chunks[0]!.length <= byte) {
      this.startByte += this.chunks.shift()!.length;
    }
  }

  /**
   * A copy of bytes [from, to), into `out` (which must hold exactly to - from bytes) or into
   * a fresh array that owns its ArrayBuffer, so it can be transferred.
   */
  copy(from: number, to: number, out = new Uint8Array(to - from)): Uint8Array<ArrayBuffer> {
    if (from < this.startByte || to > this.endByte) {
      throw new RangeError(`bytes ${from}..${to} are outside the window`);
    }
    let chunkStart = this.startByte;
    for (const chunk of this.chunks) {
      const chunkEnd = chunkStart + chunk.length;
      if (chunkEnd > from && chunkStart < to) {
        const a = Math.max(from, chunkStart);
        const b = Math.min(to, chunkEnd);
        out.set(chunk.subarray(a - chunkStart, b - chunkStart), a - from);
      }
      if (chunkEnd >= to) break;
      chunkStart = chunkEnd;
    }
    return out;
  }

  /** Reads `n` (1..32) bits starting at absolute bit offset `bit`, most significant first. */
  bits(bit: number, n: number): number {
    const first = Math.floor(bit / 8);
    const bytes = this.copy(first, Math.ceil((bit + n) / 8));
    let value = 0;
    for (const b of bytes) value = value * 256 + b;
    const extra = bytes.length * 8 - (bit - first * 8) - n;
    return Math.floor(value / 2 ** extra) % 2 ** n;
  }
}

/** Tiny reads (a 1-byte chunked source) are gathered up to this size before scanning. */
const GATHER_BYTES = 64 * 1024;

/**
 * The compressed input as the decoder sees it: pulls chunks from the source on demand, keeps
 * the unconsumed bytes in a ByteWindow and the block-magic candidates found in them.
 */
export class CompressedInput {
  readonly window = new ByteWindow();
  /** True once the source is exhausted. */
  eof = false;
  private candidates: number[] = [];

  /**
   * `findCandidates` returns the absolute bit offsets of block-magic hits in each new chunk;
   * tests substitute one that adds false hits.
   */
  constructor(
    private readonly source: AsyncIterator<Uint8Array | string>,
    private readonly findCandidates: (chunk: Uint8Array) => number[] = scanner(),
  ) {}

  /** Reads at least one more chunk (or up to GATHER_BYTES of tiny ones); false at the end. */
  async readMore(): Promise<boolean> {
    if (this.eof) return false;
    const parts: Uint8Array[] = [];
    let size = 0;
    while (size < GATHER_BYTES) {
      const next = await this.source.next();
      if (next.done) {
        this.eof = true;
        break;
      }
      if (typeof next.value === 'string')
        throw new TypeError('bzip2 input must be bytes, not text');
      parts.push(next.value);
      size += next.value.length;
    }
    if (size === 0) return false;
    const chunk = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    this.window.append(chunk);
    for (const hit of this.findCandidates(chunk)) this.candidates.push(hit);
    return true;
  }

  /** Reads until the window holds bytes up to (not including) `byte`; false if input ends first. */
  async ensure(byte: number): Promise<boolean> {
    while (this.window.endByte < byte) if (!(await this.readMore())) return false;
    return true;
  }

  /**
   * The first block-magic candidate after bit `after`, reading input until one is found.
   * Undefined when the input ends first or more than `maxBytes` past `after` have been read.
   */
  async candidateAfter(after: number, maxBytes: number): Promise<number | undefined> {
    for (;;) {
      const found = this.candidates.find((c) => c > after);
      if (found !== undefined) return found;
      if (this.window.endByte * 8 - after > maxBytes * 8) return undefined;
      if (!(await this.readMore())) return undefined;
    }
  }

  /** Drops bytes and candidates before bit `bit`; the decoder never looks back past it. */
  discardBefore(bit: number): void {
    this.window.discardBefore(Math.floor(bit / 8));
    const firstKept = this.candidates.findIndex((c) => c >= bit);
    this.candidates.splice(0, firstKept < 0 ? this.candidates.length : firstKept);
  }

  /** Stops reading the source (lets a stream release its file handle). */
  async close(): Promise<void> {
    await this.source.return?.();
  }
}

function scanner(): (chunk: Uint8Array) => number[] {
  const blockMagic = new BlockMagicScanner();
  return (chunk) => blockMagic.push(chunk);
}

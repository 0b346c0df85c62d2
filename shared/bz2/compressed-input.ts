import { ByteWindow } from './byte-window.js';
import { BlockMagicScanner } from './magic-scan.js';

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

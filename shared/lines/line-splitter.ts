import { lineTooLong } from './line-errors.js';

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

/** Receives each line without its terminator, and its 1-based number in the source. */
export type LineHandler = (line: Buffer, lineNumber: number) => void;

/**
 * Cuts a byte stream into lines wherever `\n` falls, whatever the chunk boundaries. Each line is
 * handed over without its `\n` and without one trailing `\r`; blank lines are handed over too so
 * that line numbers match the source. A line inside one chunk is a view of that chunk (no copy).
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private lineNumber = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: LineHandler,
  ) {}

  /** Splits one chunk; the chunk must not be modified afterwards while its lines are in use. */
  push(chunk: Buffer): void {
    let start = 0;
    let end = chunk.indexOf(LF, start);
    while (end !== -1) {
      this.emit(this.takeLine(chunk, start, end));
      start = end + 1;
      end = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
  }

  /** Hands over the last line when the source did not end with `\n`. */
  end(): void {
    if (this.pendingBytes > 0) this.emit(this.takeLine(EMPTY, 0, 0));
  }

  private takeLine(chunk: Buffer, start: number, end: number): Buffer {
    if (this.pendingBytes === 0) return chunk.subarray(start, end);
    const tail = chunk.subarray(start, end);
    this.checkLength(this.pendingBytes + tail.length);
    const line = Buffer.concat([...this.pending, tail], this.pendingBytes + tail.length);
    this.pending = [];
    this.pendingBytes = 0;
    return line;
  }

  private keep(part: Buffer): void {
    this.pendingBytes += part.length;
    this.checkLength(this.pendingBytes);
    this.pending.push(part);
  }

  private emit(line: Buffer): void {
    const content = line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, -1) : line;
    if (content.length > this.maxLineBytes) this.tooLong();
    this.lineNumber += 1;
    this.onLine(content, this.lineNumber);
  }

  /** Fails as soon as the unfinished line is over the cap, before buffering more of it. */
  private checkLength(bytes: number): void {
    // A trailing `\r` is not content, so the cap plus one byte may still be a line that fits.
    if (bytes > this.maxLineBytes + 1) this.tooLong();
  }

  private tooLong(): never {
    throw lineTooLong(this.lineNumber + 1, this.maxLineBytes);
  }
}

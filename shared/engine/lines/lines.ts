import { isUtf8 } from 'node:buffer';
import { AppError } from '../../platform/errors.js';
import { isJsonText } from './json-syntax.js';

/** LINES.TOO_LONG: one line grew past the cap, so the source is not usable NDJSON. */
export function lineTooLong(lineNumber: number, maxLineBytes: number): AppError {
  return new AppError(
    'LINES.TOO_LONG',
    'invalid',
    `Line ${lineNumber} is longer than ${maxLineBytes} bytes; ` +
      'the file is probably not newline-delimited JSON',
  );
}

/** What happens to a line that is not JSON: held back in a quarantine object, or kept. */
export const INVALID_LINE_POLICIES = ['quarantine', 'pass'] as const;
export type InvalidLinePolicy = (typeof INVALID_LINE_POLICIES)[number];

/**
 * A per-line hook (for source plugins): returns the line to write, or null to drop it. It gets
 * the line without its newline and must return one line without a newline; the Buffer it gets
 * may be a view of a larger chunk, so it must not be kept after the call.
 */
export type LineTransform = (line: Buffer) => Buffer | null;

/** Longest line accepted by default: far beyond any real Betfair message. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Output Buffer size by default. */
export const DEFAULT_BATCH_BYTES = 256 * 1024;

export interface NormalizeLinesOptions {
  /** Check that each line is one JSON value in UTF-8. Default true. */
  validate?: boolean;
  /** Invalid lines go to `quarantine` (default) or are written like any other line. */
  invalidLines?: InvalidLinePolicy;
  /** Receives quarantined lines; without one they are only counted. */
  quarantine?: QuarantineSink;
  /** Applied to each line that is written, after validation. */
  transformLine?: LineTransform;
  /** A longer line fails the stream with LINES.TOO_LONG. Default 64 MiB. */
  maxLineBytes?: number;
  /** Size of the Buffers the output is packed into. Default 256 KiB. */
  batchBytes?: number;
}

/** The options with every default filled in. */
export type ResolvedLineOptions = Required<
  Omit<NormalizeLinesOptions, 'quarantine' | 'transformLine'>
> &
  Pick<NormalizeLinesOptions, 'quarantine' | 'transformLine'>;

/** Fills in defaults. */
export function resolveLineOptions(options: NormalizeLinesOptions): ResolvedLineOptions {
  return {
    validate: options.validate ?? true,
    invalidLines: options.invalidLines ?? 'quarantine',
    maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    batchBytes: options.batchBytes ?? DEFAULT_BATCH_BYTES,
    quarantine: options.quarantine,
    transformLine: options.transformLine,
  };
}

/** What happened to the lines of one source; complete once its output has been fully read. */
export interface LineStats {
  /** Non-blank lines read from the source. */
  linesIn: number;
  /** Lines written to the output. */
  linesOut: number;
  /** Lines that are not valid JSON (quarantined or passed on, depending on the option). */
  invalid: number;
  /** Invalid lines kept out of the output and handed to the quarantine sink. */
  quarantined: number;
  /** Lines the transform hook dropped. */
  dropped: number;
  /** Blank lines (empty or only `\r`) left out. */
  blank: number;
  /** Bytes written to the output, newlines included. */
  bytesOut: number;
}

/** Fresh counters, all zero. */
export function emptyLineStats(): LineStats {
  return { linesIn: 0, linesOut: 0, invalid: 0, quarantined: 0, dropped: 0, blank: 0, bytesOut: 0 };
}

/**
 * Why `line` is not one JSON value in UTF-8, or undefined when it is. The bytes are checked in
 * place; only a line that fails is decoded, to get JSON.parse's own explanation.
 */
export function jsonLineProblem(line: Buffer): string | undefined {
  // Decoding would silently turn bad bytes into U+FFFD, which JSON.parse accepts inside strings.
  if (!isUtf8(line)) return 'Line is not valid UTF-8';
  if (isJsonText(line)) return undefined;
  try {
    // JSON.parse has the last word, so a stricter syntax check can never reject valid JSON.
    JSON.parse(line.toString('utf8'));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

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

/**
 * Packs `\n`-terminated lines into large Buffers so that consumers (a storage upload, a hash)
 * see few big writes rather than one small Buffer per line. A line larger than a batch is
 * passed on as its own Buffer.
 */
export class OutputBatcher {
  private batch: Buffer;
  private used = 0;
  private ready: Buffer[] = [];

  constructor(private readonly batchBytes: number) {
    this.batch = Buffer.allocUnsafe(batchBytes);
  }

  /** Appends `line` and a `\n`. */
  append(line: Buffer): void {
    const size = line.length + 1;
    if (size > this.batchBytes - this.used) this.flush();
    if (size > this.batchBytes) {
      this.ready.push(Buffer.concat([line, Buffer.of(LF)], size));
      return;
    }
    line.copy(this.batch, this.used);
    this.batch[this.used + line.length] = LF;
    this.used += size;
  }

  /** Batches that are complete; each is handed out once. */
  take(): Buffer[] {
    const ready = this.ready;
    this.ready = [];
    return ready;
  }

  /** Closes the current partial batch so that the next `take` includes it. */
  flush(): void {
    if (this.used === 0) return;
    this.ready.push(this.batch.subarray(0, this.used));
    // The handed-out batch now belongs to the consumer, so later lines need fresh memory.
    this.batch = Buffer.allocUnsafe(this.batchBytes);
    this.used = 0;
  }
}

/**
 * Decides the fate of each split line — blank, invalid, dropped by the transform, or written —
 * and counts it in `stats`. Order: blank check, JSON validation, transform, output.
 */
export function createLineHandler(
  options: ResolvedLineOptions,
  stats: LineStats,
  batcher: OutputBatcher,
): LineHandler {
  const { validate, invalidLines, quarantine, transformLine } = options;
  return (line, lineNumber) => {
    if (line.length === 0) {
      stats.blank += 1;
      return;
    }
    stats.linesIn += 1;
    if (validate && !acceptJson(line, lineNumber)) return;
    const out = transformLine ? transformLine(line) : line;
    if (out === null) {
      stats.dropped += 1;
      return;
    }
    batcher.append(out);
    stats.linesOut += 1;
    stats.bytesOut += out.length + 1;
  };

  /** Counts an invalid line and says whether it still goes to the output. */
  function acceptJson(line: Buffer, lineNumber: number): boolean {
    const problem = jsonLineProblem(line);
    if (problem === undefined) return true;
    stats.invalid += 1;
    if (invalidLines === 'pass') return true;
    stats.quarantined += 1;
    quarantine?.add(lineNumber, line, problem);
    return false;
  }
}

/**
 * Where lines that are not valid JSON go instead of the output. Called synchronously for each
 * such line, in source order; `line` is only valid during the call (copy what you keep).
 */
export interface QuarantineSink {
  add(lineNumber: number, line: Buffer, reason: string): void;
}

/** One quarantined line as written to the quarantine NDJSON. */
export interface QuarantineEntry {
  /** 1-based line number in the decompressed source, blank lines included. */
  line: number;
  /** The JSON parser's complaint. */
  reason: string;
  /** The start of the line (at most `maxTextChars` characters). */
  text: string;
}

export interface QuarantineCollectorOptions {
  /** Entries kept in memory; later ones are only counted. Default 1000. */
  maxEntries?: number;
  /** Characters of each line kept. Default 1000. */
  maxTextChars?: number;
}

/**
 * A QuarantineSink that keeps the first `maxEntries` lines (each cut to `maxTextChars`
 * characters) and only counts the rest, so a file of garbage cannot exhaust memory:
 * `count` is the true total, `entries.length` ≤ `maxEntries`, and `omitted` the difference.
 */
export class QuarantineCollector implements QuarantineSink {
  readonly entries: QuarantineEntry[] = [];
  private total = 0;
  private readonly maxEntries: number;
  private readonly maxTextChars: number;

  constructor(options: QuarantineCollectorOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1000;
    this.maxTextChars = options.maxTextChars ?? 1000;
  }

  add(lineNumber: number, line: Buffer, reason: string): void {
    this.total += 1;
    if (this.entries.length >= this.maxEntries) return;
    this.entries.push({ line: lineNumber, reason, text: textStart(line, this.maxTextChars) });
  }

  /** Every line ever added, kept or not. */
  get count(): number {
    return this.total;
  }

  /** Lines counted but not kept. */
  get omitted(): number {
    return this.total - this.entries.length;
  }

  /** The kept entries as NDJSON, one `{"line","reason","text"}` object a line. */
  toNdjson(): Buffer {
    return Buffer.from(this.entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''), 'utf8');
  }
}

/** The first `maxChars` UTF-16 code units of a line, without decoding all of a huge line. */
function textStart(line: Buffer, maxChars: number): string {
  // No character takes more than 4 bytes in UTF-8, so this prefix holds enough of them.
  const text = line.subarray(0, maxChars * 4).toString('utf8');
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  // Never end on the first half of a surrogate pair: it would not survive JSON round trips.
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** The normalised output of one source and the counts that describe it. */
export interface NormalizedLines {
  /** `\n`-terminated NDJSON in large Buffers; read it once. */
  output: AsyncGenerator<Buffer, void, undefined>;
  /** Updated as `output` is read; final once `output` has finished without error. */
  stats: Readonly<LineStats>;
}

/**
 * Turns a decompressed byte stream, cut into chunks anywhere, into clean NDJSON: every non-blank
 * line byte for byte as in the source and `\n`-terminated (CRLF becomes LF, a missing final
 * newline is added, blank lines are left out), invalid JSON quarantined or passed on, and the
 * optional transform applied. Fails with LINES.TOO_LONG when a line exceeds `maxLineBytes`.
 */
export function normalizeLines(
  source: AsyncIterable<Buffer>,
  options: NormalizeLinesOptions = {},
): NormalizedLines {
  const stats = emptyLineStats();
  return { output: run(source, resolveLineOptions(options), stats), stats };
}

async function* run(
  source: AsyncIterable<Buffer>,
  options: ResolvedLineOptions,
  stats: LineStats,
): AsyncGenerator<Buffer, void, undefined> {
  const batcher = new OutputBatcher(options.batchBytes);
  const splitter = new LineSplitter(
    options.maxLineBytes,
    createLineHandler(options, stats, batcher),
  );
  for await (const chunk of source) {
    splitter.push(chunk);
    yield* batcher.take();
  }
  splitter.end();
  batcher.flush();
  yield* batcher.take();
}

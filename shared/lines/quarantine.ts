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

/**
 * A byte scanner for the common line, an `mcm` market-data message, that reads prices and sizes
 * straight into numeric arrays (a "tape") instead of building JSON objects: JSON.parse spends
 * most of its time allocating the many small `[price, size]` arrays of a PRO line. It accepts a
 * line only when it is sure the result equals JSON.parse's; anything else (escapes, duplicate
 * keys, numbers it cannot convert exactly, strings where numbers belong, other operations,
 * heartbeats, invalid JSON) makes `scan` return false, and the caller takes the general path.
 * Definitions are rare and shaped freely, so the tape keeps their byte range for JSON.parse.
 */

/** The ladders of a runner change: five keyed by price (pairs), four by level (triples). */
export const LADDER_FIELDS = [
  'atb',
  'atl',
  'trd',
  'spb',
  'spl',
  'batb',
  'batl',
  'bdatb',
  'bdatl',
] as const;
export const PRICE_LADDER_COUNT = 5;
export const TRADED_LADDER = LADDER_FIELDS.indexOf('trd');

/** Scalars of a runner change, by their bit in a runner record's presence mask. */
export const SCALAR_FIELDS = ['ltp', 'tv', 'spn', 'spf'] as const;
const HC_BIT = 1 << SCALAR_FIELDS.length;

// A runner record in `runners` (Float64Array), RUNNER_STRIDE numbers each.
export const R_ID = 0;
export const R_HC = 1;
export const R_SCALARS = 2; // ltp, tv, spn, spf
export const R_PRESENT = 6; // bit per scalar, then HC_BIT
export const R_LADDER_OFFSET = 7; // nine offsets into `numbers`
export const R_LADDER_COUNT = 16; // nine entry counts; -1 when the field is absent
export const RUNNER_STRIDE = 25;
export { HC_BIT };

const MAX_LEVEL = 99;
const MAX_EXACT_DIGITS = 15;
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Keys of one object kind, found by length, first and last byte, then checked whole. */
interface KeySet {
  bytes: Uint8Array[];
  byHash: Map<number, number>;
}

function keyHash(bytes: Uint8Array, start: number, length: number): number {
  return (length << 16) | ((bytes[start] ?? 0) << 8) | (bytes[start + length - 1] ?? 0);
}

function keySet(keys: readonly string[]): KeySet {
  const bytes = keys.map((key) => Buffer.from(key, 'latin1'));
  const byHash = new Map(bytes.map((key, index) => [keyHash(key, 0, key.length), index]));
  if (byHash.size !== keys.length) throw new Error(`keys ${keys.join()} share a hash`);
  return { bytes, byHash };
}

const TOP_KEYS = keySet(['op', 'pt', 'clk', 'mc', 'ct']);
const CHANGE_KEYS = keySet(['id', 'img', 'marketDefinition', 'rc', 'tv']);
const RUNNER_KEYS = keySet(['id', 'hc', ...SCALAR_FIELDS, ...LADDER_FIELDS]);
const MCM = Buffer.from('mcm', 'latin1');

class Refused extends Error {}
const REFUSED = new Refused();

function grown<T extends Float64Array | Int32Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  const larger = new (array.constructor as new (length: number) => T)(
    Math.max(needed, array.length * 2),
  );
  larger.set(array);
  return larger;
}

export class McmScanner {
  // The tape of the last accepted line.
  pt = 0;
  clk: string | undefined = undefined;
  changeCount = 0;
  /** Per change: market id, img, definition byte range, tv, rc presence, its runner records. */
  changeIds: string[] = [];
  changeImg = new Int32Array(8);
  changeDefinitionStart = new Int32Array(8);
  changeDefinitionEnd = new Int32Array(8);
  changeHasTv = new Int32Array(8);
  changeTv = new Float64Array(8);
  changeRunnerFirst = new Int32Array(8);
  changeRunnerCount = new Int32Array(8);
  runners = new Float64Array(64 * RUNNER_STRIDE);
  runnerCount = 0;
  numbers = new Float64Array(4096);
  numberCount = 0;

  private bytes: Uint8Array = new Uint8Array(0);
  private at = 0;
  private end = 0;
  private lastId = '';
  private lastIdBytes: Uint8Array = new Uint8Array(0);

  /** Scans `bytes[start, end)`; true when the tape holds the line, false for the general path. */
  scan(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
    // A plain view of the line alone: no read can run into the next line's bytes, and element
    // reads always see one class (a Buffer and a Uint8Array mixed make them slower).
    this.bytes = new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start);
    this.at = 0;
    this.end = this.bytes.length;
    this.changeCount = 0;
    this.runnerCount = 0;
    this.numberCount = 0;
    this.clk = undefined;
    try {
      return this.message();
    } catch (error) {
      if (error === REFUSED) return false;
      throw error;
    }
  }

  private message(): boolean {
    let seen = 0;
    let isMcm = false;
    let hasPt = false;
    this.expect(0x7b);
    if (this.peekWs() !== 0x7d) {
      for (;;) {
        const key = this.key(TOP_KEYS);
        if (key >= 0) {
          if (seen & (1 << key)) throw REFUSED;
          seen |= 1 << key;
        }
        if (key === 0) isMcm = this.stringEquals(MCM);
        else if (key === 1) {
          this.pt = this.number();
          hasPt = true;
        } else if (key === 2) this.clk = this.asciiString();
        else if (key === 3) this.changes();
        else if (key === 4) throw REFUSED;
        else this.skipValue();
        if (!this.commaOr(0x7d)) break;
      }
    } else this.at++;
    this.ws();
    if (this.at !== this.end) throw REFUSED;
    return isMcm && hasPt && this.changeCount > 0;
  }

  private changes(): void {
    this.expect(0x5b);
    if (this.peekWs() === 0x5d) {
      this.at++;
      return;
    }
    do this.change();
    while (this.commaOr(0x5d));
  }

  private change(): void {
    const index = this.changeCount++;
    this.ensureChanges(this.changeCount);
    this.changeImg[index] = 0;
    this.changeDefinitionStart[index] = -1;
    this.changeHasTv[index] = 0;
    this.changeRunnerFirst[index] = this.runnerCount;
    this.changeRunnerCount[index] = 0;
    let seen = 0;
    this.expect(0x7b);
    if (this.peekWs() === 0x7d) throw REFUSED;
    do {
      const key = this.key(CHANGE_KEYS);
      if (key >= 0) {
        if (seen & (1 << key)) throw REFUSED;
        seen |= 1 << key;
      }
      if (key === 0) this.changeIds[index] = this.marketId();
      else if (key === 1) this.changeImg[index] = this.boolean() ? 1 : 0;
      else if (key === 2) {
        this.ws();
        if (this.bytes[this.at] !== 0x7b) throw REFUSED;
        this.changeDefinitionStart[index] = this.at;
        this.skipValue();
        this.changeDefinitionEnd[index] = this.at;
      } else if (key === 3) this.runnerChanges(index);
      else if (key === 4) {
        this.changeTv[index] = this.number();
        this.changeHasTv[index] = 1;
      } else this.skipValue();
    } while (this.commaOr(0x7d));
    if ((seen & 1) === 0) throw REFUSED;
  }

  private runnerChanges(change: number): void {
    this.expect(0x5b);
    if (this.peekWs() === 0x5d) {
      this.at++;
      return;
    }
    do {
      this.runnerChange();
      this.changeRunnerCount[change] = (this.changeRunnerCount[change] ?? 0) + 1;
    } while (this.commaOr(0x5d));
  }

  private runnerChange(): void {
    const base = this.runnerCount++ * RUNNER_STRIDE;
    this.runners = grown(this.runners, base + RUNNER_STRIDE);
    const record = this.runners;
    record[base + R_PRESENT] = 0;
    for (let f = 0; f < LADDER_FIELDS.length; f++) record[base + R_LADDER_COUNT + f] = -1;
    let seen = 0;
    let present = 0;
    this.expect(0x7b);
    if (this.peekWs() === 0x7d) throw REFUSED;
    do {
      const key = this.key(RUNNER_KEYS);
      if (key >= 0) {
        if (seen & (1 << key)) throw REFUSED;
        seen |= 1 << key;
      }
      if (key === 0) {
        const id = this.number();
        if (!Number.isSafeInteger(id)) throw REFUSED;
        record[base + R_ID] = id;
      } else if (key === 1) {
        record[base + R_HC] = this.number();
        present |= HC_BIT;
      } else if (key >= 2 && key < 2 + SCALAR_FIELDS.length) {
        record[base + R_SCALARS + key - 2] = this.number();
        present |= 1 << (key - 2);
      } else if (key >= 2 + SCALAR_FIELDS.length) {
        const field = key - 2 - SCALAR_FIELDS.length;
        record[base + R_LADDER_OFFSET + field] = this.numberCount;
        record[base + R_LADDER_COUNT + field] = this.ladder(field < PRICE_LADDER_COUNT ? 2 : 3);
      } else this.skipValue();
    } while (this.commaOr(0x7d));
    if ((seen & 1) === 0) throw REFUSED;
    record[base + R_PRESENT] = present;
  }

  /** `[[a, b(, c)], …]` into `numbers`; returns the entry count. Levels must be small integers. */
  private ladder(width: number): number {
    this.expect(0x5b);
    if (this.peekWs() === 0x5d) {
      this.at++;
      return 0;
    }
    let entries = 0;
    do {
      this.expect(0x5b);
      if (this.numberCount + width > this.numbers.length) {
        this.numbers = grown(this.numbers, this.numberCount + width);
      }
      for (let i = 0; i < width; i++) {
        if (i > 0) this.expect(0x2c);
        this.numbers[this.numberCount++] = this.number();
      }
      if (width === 3) {
        const level = this.numbers[this.numberCount - 3] ?? -1;
        if (!Number.isInteger(level) || level < 0 || level > MAX_LEVEL) throw REFUSED;
      }
      this.expect(0x5d);
      entries++;
    } while (this.commaOr(0x5d));
    return entries;
  }

  /** A JSON number converted exactly, or refused when a fast exact conversion is not possible. */
  private number(): number {
    const bytes = this.bytes;
    if ((bytes[this.at] ?? 0x21) <= 0x20) this.ws();
    let at = this.at;
    const negative = bytes[at] === 0x2d;
    if (negative) at++;
    let mantissa = 0;
    let digits = 0;
    let fraction = 0;
    let c = bytes[at] ?? 0;
    if (c === 0x30) {
      at++;
      c = bytes[at] ?? 0;
    } else if (c >= 0x31 && c <= 0x39) {
      while (c >= 0x30 && c <= 0x39) {
        mantissa = mantissa * 10 + (c - 0x30);
        digits++;
        c = bytes[++at] ?? 0;
      }
    } else throw REFUSED;
    if (c === 0x2e) {
      c = bytes[++at] ?? 0;
      if (c < 0x30 || c > 0x39) throw REFUSED;
      while (c >= 0x30 && c <= 0x39) {
        mantissa = mantissa * 10 + (c - 0x30);
        if (mantissa !== 0) digits++;
        fraction++;
        c = bytes[++at] ?? 0;
      }
    }
    if (c === 0x65 || c === 0x45 || digits > MAX_EXACT_DIGITS || fraction >= POW10.length) {
      throw REFUSED;
    }
    this.at = at;
    const value = fraction === 0 ? mantissa : mantissa / (POW10[fraction] ?? 1);
    return negative ? -value : value;
  }

  private boolean(): boolean {
    this.ws();
    const bytes = this.bytes;
    const at = this.at;
    if (
      bytes[at] === 0x74 &&
      bytes[at + 1] === 0x72 &&
      bytes[at + 2] === 0x75 &&
      bytes[at + 3] === 0x65
    ) {
      this.at += 4;
      return true;
    }
    if (
      bytes[at] === 0x66 &&
      bytes[at + 1] === 0x61 &&
      bytes[at + 2] === 0x6c &&
      bytes[at + 3] === 0x73 &&
      bytes[at + 4] === 0x65
    ) {
      this.at += 5;
      return false;
    }
    throw REFUSED;
  }

  /** A string of printable ASCII without escapes; returns its [start, end) inside the quotes. */
  private plainString(): number {
    if (this.bytes[this.at] !== 0x22) {
      this.ws();
      if (this.bytes[this.at] !== 0x22) throw REFUSED;
    }
    const start = ++this.at;
    for (;;) {
      if (this.at >= this.end) throw REFUSED;
      const c = this.bytes[this.at] ?? 0;
      if (c === 0x22) break;
      if (c < 0x20 || c === 0x5c || c >= 0x80) throw REFUSED;
      this.at++;
    }
    this.at++;
    return start;
  }

  private asciiString(): string {
    const start = this.plainString();
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length).toString(
      'latin1',
      start,
      this.at - 1,
    );
  }

  /** The market id, reusing the previous string when the bytes are the same (they usually are). */
  private marketId(): string {
    const start = this.plainString();
    const length = this.at - 1 - start;
    const last = this.lastIdBytes;
    if (length === last.length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (this.bytes[start + i] !== last[i]) {
          same = false;
          break;
        }
      }
      if (same) return this.lastId;
    }
    this.lastIdBytes = this.bytes.slice(start, start + length);
    this.lastId = Buffer.from(this.lastIdBytes).toString('latin1');
    return this.lastId;
  }

  private stringEquals(expected: Uint8Array): boolean {
    const start = this.plainString();
    const length = this.at - 1 - start;
    if (length !== expected.length) return false;
    for (let i = 0; i < length; i++) if (this.bytes[start + i] !== expected[i]) return false;
    return true;
  }

  /** Reads `"key":` and returns its index in `keys`, or -1 for a key not listed. */
  private key(keys: KeySet): number {
    const start = this.plainString();
    const length = this.at - 1 - start;
    this.expect(0x3a);
    if (length === 0) return -1;
    const index = keys.byHash.get(keyHash(this.bytes, start, length));
    if (index === undefined) return -1;
    const key = keys.bytes[index] as Uint8Array;
    for (let i = 0; i < length; i++) if (this.bytes[start + i] !== key[i]) return -1;
    return index;
  }

  /** Skips any JSON value, checking its syntax as JSON.parse would. */
  private skipValue(): void {
    const c = this.peekWs();
    if (c === 0x7b) {
      this.at++;
      if (this.peekWs() === 0x7d) {
        this.at++;
        return;
      }
      do {
        this.skipString();
        this.expect(0x3a);
        this.skipValue();
      } while (this.commaOr(0x7d));
    } else if (c === 0x5b) {
      this.at++;
      if (this.peekWs() === 0x5d) {
        this.at++;
        return;
      }
      do this.skipValue();
      while (this.commaOr(0x5d));
    } else if (c === 0x22) this.skipString();
    else if (c === 0x74) this.literal('true');
    else if (c === 0x66) this.literal('false');
    else if (c === 0x6e) this.literal('null');
    else this.skipNumber();
  }

  private skipString(): void {
    this.ws();
    if (this.bytes[this.at] !== 0x22) throw REFUSED;
    this.at++;
    for (;;) {
      if (this.at >= this.end) throw REFUSED;
      const c = this.bytes[this.at++] ?? 0;
      if (c === 0x22) return;
      if (c < 0x20) throw REFUSED;
      if (c === 0x5c) {
        const escaped = this.bytes[this.at++] ?? 0;
        if (escaped === 0x75) {
          for (let i = 0; i < 4; i++) {
            const h = this.bytes[this.at++] ?? 0;
            const hex =
              (h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66);
            if (!hex) throw REFUSED;
          }
        } else if (!'"\\/bfnrt'.includes(String.fromCharCode(escaped))) throw REFUSED;
      }
    }
  }

  /** Any valid JSON number (exponents included); its value is not needed. */
  private skipNumber(): void {
    const bytes = this.bytes;
    if (bytes[this.at] === 0x2d) this.at++;
    if (bytes[this.at] === 0x30) this.at++;
    else this.skipDigits();
    if (bytes[this.at] === 0x2e) {
      this.at++;
      this.skipDigits();
    }
    if (bytes[this.at] === 0x65 || bytes[this.at] === 0x45) {
      this.at++;
      if (bytes[this.at] === 0x2b || bytes[this.at] === 0x2d) this.at++;
      this.skipDigits();
    }
  }

  /** One or more digits. */
  private skipDigits(): void {
    const from = this.at;
    for (;;) {
      const c = this.bytes[this.at] ?? 0;
      if (c < 0x30 || c > 0x39) break;
      this.at++;
    }
    if (this.at === from) throw REFUSED;
  }

  private literal(word: string): void {
    for (let i = 0; i < word.length; i++) {
      if (this.bytes[this.at + i] !== word.charCodeAt(i)) throw REFUSED;
    }
    this.at += word.length;
  }

  private ensureChanges(count: number): void {
    if (count <= this.changeImg.length) return;
    const size = count * 2;
    this.changeImg = grown(this.changeImg, size);
    this.changeDefinitionStart = grown(this.changeDefinitionStart, size);
    this.changeDefinitionEnd = grown(this.changeDefinitionEnd, size);
    this.changeHasTv = grown(this.changeHasTv, size);
    this.changeTv = grown(this.changeTv, size);
    this.changeRunnerFirst = grown(this.changeRunnerFirst, size);
    this.changeRunnerCount = grown(this.changeRunnerCount, size);
  }

  /** After a value: true on a comma, false on `close`; anything else is refused. */
  private commaOr(close: number): boolean {
    const next = this.bytes[this.at];
    if (next === 0x2c) {
      this.at++;
      return true;
    }
    if (next === close) {
      this.at++;
      return false;
    }
    const c = this.peekWs();
    this.at++;
    if (c === 0x2c) return true;
    if (c === close) return false;
    throw REFUSED;
  }

  private expect(byte: number): void {
    if (this.bytes[this.at] === byte) {
      this.at++;
      return;
    }
    if (this.peekWs() !== byte) throw REFUSED;
    this.at++;
  }

  private peekWs(): number {
    this.ws();
    if (this.at >= this.end) throw REFUSED;
    return this.bytes[this.at] ?? 0;
  }

  /**
   * Skips whitespace. Betfair's lines have none between tokens, so the readers above look at
   * the next byte first and come here only when it is not the one they expect.
   */
  private ws(): void {
    const bytes = this.bytes;
    let at = this.at;
    for (;;) {
      const c = bytes[at];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      at++;
    }
    this.at = at;
  }
}

/**
 * A JSON syntax check (RFC 8259) over bytes that builds no values. V8's JSON.parse spends most
 * of its time allocating the numbers and arrays of Betfair price ladders; this check only walks
 * the bytes, so it is several times faster. It does not check UTF-8 (see isUtf8) and accepts
 * exactly what JSON.parse accepts for UTF-8 text (test/lines/json-syntax.test.ts compares them).
 */

const OBJECT = 0;
const ARRAY = 1;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

/** True when `text` is exactly one JSON value, optionally surrounded by whitespace. */
export function isJsonText(text: Uint8Array): boolean {
  const stack: number[] = [];
  let i = skipSpace(text, 0);
  for (;;) {
    const c = text[i];
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      i = skipSpace(text, i + 1);
      const empty = text[i] === (c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET);
      if (empty) i += 1;
      else {
        stack.push(c === OPEN_BRACE ? OBJECT : ARRAY);
        if (c === OPEN_BRACE && (i = scanKey(text, i)) < 0) return false;
        continue;
      }
    } else if ((i = scanScalar(text, i)) < 0) return false;
    // After a value: close finished containers, then expect the next element or the end.
    for (;;) {
      i = skipSpace(text, i);
      if (stack.length === 0) return i === text.length;
      const top = stack[stack.length - 1];
      if (text[i] === COMMA) {
        i = skipSpace(text, i + 1);
        if (top === OBJECT && (i = scanKey(text, i)) < 0) return false;
        break;
      }
      if (text[i] !== (top === OBJECT ? CLOSE_BRACE : CLOSE_BRACKET)) return false;
      stack.pop();
      i += 1;
    }
  }
}

/** Index after a string, number or literal starting at `i`, or -1. */
function scanScalar(text: Uint8Array, i: number): number {
  const c = text[i];
  if (c === QUOTE) return scanString(text, i);
  if (c === MINUS || (c !== undefined && c >= ZERO && c <= NINE)) return scanNumber(text, i);
  if (c === 0x74) return scanLiteral(text, i, TRUE);
  if (c === 0x66) return scanLiteral(text, i, FALSE);
  if (c === 0x6e) return scanLiteral(text, i, NULL);
  return -1;
}

/** Index of the value after `"key" :` starting at `i`, or -1. */
function scanKey(text: Uint8Array, i: number): number {
  if (text[i] !== QUOTE) return -1;
  const end = skipSpace(text, scanString(text, i));
  return end >= 0 && text[end] === COLON ? skipSpace(text, end + 1) : -1;
}

function scanString(text: Uint8Array, i: number): number {
  for (let j = i + 1; j < text.length;) {
    const c = text[j]!;
    if (c === QUOTE) return j + 1;
    if (c < 0x20) return -1;
    if (c !== BACKSLASH) {
      j += 1;
      continue;
    }
    const e = text[j + 1];
    if (e === 0x75) {
      if (!(isHex(text[j + 2]) && isHex(text[j + 3]) && isHex(text[j + 4]) && isHex(text[j + 5])))
        return -1;
      j += 6;
    } else if (e !== undefined && isSimpleEscape(e)) j += 2;
    else return -1;
  }
  return -1;
}

function scanNumber(text: Uint8Array, i: number): number {
  let j = text[i] === MINUS ? i + 1 : i;
  if (text[j] === ZERO) j += 1;
  else if (isDigit(text[j])) j = skipDigits(text, j);
  else return -1;
  if (text[j] === DOT) {
    if (!isDigit(text[j + 1])) return -1;
    j = skipDigits(text, j + 1);
  }
  if (text[j] === 0x65 || text[j] === 0x45) {
    j += text[j + 1] === PLUS || text[j + 1] === MINUS ? 2 : 1;
    if (!isDigit(text[j])) return -1;
    j = skipDigits(text, j);
  }
  return j;
}

function scanLiteral(text: Uint8Array, i: number, literal: Buffer): number {
  for (let k = 1; k < literal.length; k += 1) if (text[i + k] !== literal[k]) return -1;
  return i + literal.length;
}

function skipSpace(text: Uint8Array, i: number): number {
  if (i < 0) return i;
  let j = i;
  for (let c = text[j]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text[++j]);
  return j;
}

function skipDigits(text: Uint8Array, i: number): number {
  let j = i;
  while (isDigit(text[j])) j += 1;
  return j;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= ZERO && c <= NINE;
}

function isHex(c: number | undefined): boolean {
  return (
    c !== undefined && ((c >= ZERO && c <= NINE) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66))
  );
}

/** `"`, `\`, `/`, b, f, n, r, t. */
function isSimpleEscape(c: number): boolean {
  return (
    c === QUOTE ||
    c === BACKSLASH ||
    c === 0x2f ||
    c === 0x62 ||
    c === 0x66 ||
    c === 0x6e ||
    c === 0x72 ||
    c === 0x74
  );
}

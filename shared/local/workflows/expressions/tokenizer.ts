/** One lexical token of a workflow expression. */
export type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'name'; value: string; at: number }
  | { kind: 'op'; value: string; at: number }
  | { kind: 'eof'; at: number };

/** Raised for an expression that cannot be read; the parser adds the step path. */
export class ExpressionSyntaxError extends Error {
  override readonly name = 'ExpressionSyntaxError';
}

// Longest operators first so `//` wins over `/` and `<=` over `<`.
const OPERATORS = ['//', '==', '!=', '<=', '>=', '+', '-', '*', '/', '%', '<', '>'];
const PUNCTUATION = '()[]{},.:';
const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '/': '/',
};

/** Splits an expression (the text between `${` and `}`) into tokens. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text.charAt(at);
    if (/\s/.test(char)) {
      at += 1;
    } else if (/[0-9]/.test(char)) {
      at = readNumber(text, at, tokens);
    } else if (char === '"' || char === "'") {
      at = readString(text, at, tokens);
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(at));
      const value = match?.[0] ?? char;
      tokens.push({ kind: 'name', value, at });
      at += value.length;
    } else {
      at = readOperator(text, at, tokens);
    }
  }
  tokens.push({ kind: 'eof', at });
  return tokens;
}

function readNumber(text: string, at: number, tokens: Token[]): number {
  const match = /^(\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(at));
  const literal = match?.[0] ?? '';
  tokens.push({ kind: 'number', value: Number(literal), at });
  return at + literal.length;
}

function readString(text: string, start: number, tokens: Token[]): number {
  const quote = text.charAt(start);
  let value = '';
  let at = start + 1;
  while (at < text.length && text.charAt(at) !== quote) {
    const char = text.charAt(at);
    if (char !== '\\') {
      value += char;
      at += 1;
      continue;
    }
    const escaped = text.charAt(at + 1);
    if (escaped === 'u') {
      value += String.fromCharCode(parseInt(text.slice(at + 2, at + 6), 16));
      at += 6;
    } else if (escaped in ESCAPES) {
      value += ESCAPES[escaped];
      at += 2;
    } else {
      throw new ExpressionSyntaxError(`bad escape "\\${escaped}" at ${at}`);
    }
  }
  if (at >= text.length) throw new ExpressionSyntaxError(`unterminated string at ${start}`);
  tokens.push({ kind: 'string', value, at: start });
  return at + 1;
}

function readOperator(text: string, at: number, tokens: Token[]): number {
  const operator = OPERATORS.find((op) => text.startsWith(op, at));
  if (operator) {
    tokens.push({ kind: 'op', value: operator, at });
    return at + operator.length;
  }
  const char = text.charAt(at);
  if (!PUNCTUATION.includes(char)) {
    throw new ExpressionSyntaxError(`unexpected character "${char}" at ${at}`);
  }
  tokens.push({ kind: 'op', value: char, at });
  return at + 1;
}

/** Binary operators of the expression language. */
export type BinaryOperator =
  'or' | 'and' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | '+' | '-' | '*' | '/' | '%' | '//';

/** A parsed workflow expression. */
export type Expr =
  | { kind: 'literal'; value: unknown }
  | { kind: 'variable'; name: string }
  | { kind: 'member'; object: Expr; name: string }
  | { kind: 'index'; object: Expr; index: Expr }
  | { kind: 'call'; callee: string; args: Expr[] }
  | { kind: 'unary'; op: '-' | 'not'; operand: Expr }
  | { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'map'; entries: { key: string; value: Expr }[] };

/** Every function name called anywhere in the expression, for validation at parse time. */
export function calledFunctions(expr: Expr): string[] {
  switch (expr.kind) {
    case 'call':
      return [expr.callee, ...expr.args.flatMap(calledFunctions)];
    case 'member':
      return calledFunctions(expr.object);
    case 'index':
      return [...calledFunctions(expr.object), ...calledFunctions(expr.index)];
    case 'unary':
      return calledFunctions(expr.operand);
    case 'binary':
      return [...calledFunctions(expr.left), ...calledFunctions(expr.right)];
    case 'list':
      return expr.items.flatMap(calledFunctions);
    case 'map':
      return expr.entries.flatMap((entry) => calledFunctions(entry.value));
    default:
      return [];
  }
}

/** The dotted name an expression spells (`http.default_retry`), or undefined. */
export function dottedName(expr: Expr): string | undefined {
  if (expr.kind === 'variable') return expr.name;
  if (expr.kind !== 'member') return undefined;
  const head = dottedName(expr.object);
  return head === undefined ? undefined : `${head}.${expr.name}`;
}

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

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const KEYWORDS: Record<string, unknown> = {
  true: true,
  True: true,
  TRUE: true,
  false: false,
  False: false,
  FALSE: false,
  null: null,
};

/** Parses the text between `${` and `}` into an expression tree. */
export function parseExpression(text: string): Expr {
  const parser = new Parser(tokenize(text));
  const expr = parser.expression();
  parser.expectEnd();
  return expr;
}

/** A precedence-climbing parser: or < and < not < comparison/in < +,- < *,/,%,// < unary - . */
class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  expression(): Expr {
    return this.binaryLevel(['or'], () => this.binaryLevel(['and'], () => this.negation()));
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'eof') throw this.unexpected(token);
  }

  private negation(): Expr {
    if (this.acceptName('not')) return { kind: 'unary', op: 'not', operand: this.negation() };
    return this.comparison();
  }

  private comparison(): Expr {
    let left = this.additive();
    for (;;) {
      const token = this.peek();
      const op =
        token.kind === 'op' && COMPARISONS.has(token.value)
          ? token.value
          : token.kind === 'name' && token.value === 'in'
            ? 'in'
            : undefined;
      if (!op) return left;
      this.position += 1;
      left = { kind: 'binary', op: op as BinaryOperator, left, right: this.additive() };
    }
  }

  private additive(): Expr {
    return this.binaryLevel(['+', '-'], () =>
      this.binaryLevel(['*', '/', '%', '//'], () => this.unary()),
    );
  }

  private binaryLevel(ops: string[], operand: () => Expr): Expr {
    let left = operand();
    for (;;) {
      const token = this.peek();
      if ((token.kind !== 'op' && token.kind !== 'name') || !ops.includes(token.value)) {
        return left;
      }
      this.position += 1;
      left = { kind: 'binary', op: token.value as BinaryOperator, left, right: operand() };
    }
  }

  private unary(): Expr {
    if (this.acceptOp('-')) return { kind: 'unary', op: '-', operand: this.unary() };
    return this.postfix(this.primary());
  }

  private postfix(expr: Expr): Expr {
    for (;;) {
      if (this.acceptOp('.')) {
        expr = { kind: 'member', object: expr, name: this.name() };
      } else if (this.acceptOp('[')) {
        expr = { kind: 'index', object: expr, index: this.expression() };
        this.expectOp(']');
      } else if (this.acceptOp('(')) {
        expr = this.call(expr);
      } else {
        return expr;
      }
    }
  }

  private call(callee: Expr): Expr {
    const name = dottedName(callee);
    if (!name) throw new ExpressionSyntaxError('only named functions can be called');
    return { kind: 'call', callee: name, args: this.sequence(')', () => this.expression()) };
  }

  private primary(): Expr {
    const token = this.next();
    if (token.kind === 'number' || token.kind === 'string') {
      return { kind: 'literal', value: token.value };
    }
    if (token.kind === 'name') {
      if (Object.hasOwn(KEYWORDS, token.value))
        return { kind: 'literal', value: KEYWORDS[token.value] };
      return { kind: 'variable', name: token.value };
    }
    if (token.kind === 'op' && token.value === '(') {
      const inner = this.expression();
      this.expectOp(')');
      return inner;
    }
    if (token.kind === 'op' && token.value === '[') {
      return { kind: 'list', items: this.sequence(']', () => this.expression()) };
    }
    if (token.kind === 'op' && token.value === '{') {
      return { kind: 'map', entries: this.sequence('}', () => this.mapEntry()) };
    }
    throw this.unexpected(token);
  }

  private mapEntry(): { key: string; value: Expr } {
    const token = this.next();
    if (token.kind !== 'string' && token.kind !== 'name') throw this.unexpected(token);
    this.expectOp(':');
    return { key: token.value, value: this.expression() };
  }

  private sequence<T>(close: string, item: () => T): T[] {
    const items: T[] = [];
    if (this.acceptOp(close)) return items;
    do items.push(item());
    while (this.acceptOp(','));
    this.expectOp(close);
    return items;
  }

  private name(): string {
    const token = this.next();
    if (token.kind !== 'name') throw this.unexpected(token);
    return token.value;
  }

  private peek(): Token {
    return this.tokens[this.position] ?? { kind: 'eof', at: -1 };
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.position += 1;
    return token;
  }

  private acceptOp(value: string): boolean {
    const token = this.peek();
    if (token.kind !== 'op' || token.value !== value) return false;
    this.position += 1;
    return true;
  }

  private acceptName(value: string): boolean {
    const token = this.peek();
    if (token.kind !== 'name' || token.value !== value) return false;
    this.position += 1;
    return true;
  }

  private expectOp(value: string): void {
    if (!this.acceptOp(value)) throw this.unexpected(this.peek(), `"${value}"`);
  }

  private unexpected(token: Token, expected?: string): ExpressionSyntaxError {
    const seen = token.kind === 'eof' ? 'end of expression' : `"${String(token.value)}"`;
    const wanted = expected ? `, expected ${expected}` : '';
    return new ExpressionSyntaxError(`unexpected ${seen} at ${token.at}${wanted}`);
  }
}

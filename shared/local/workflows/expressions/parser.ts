import type { BinaryOperator, Expr } from './ast.js';
import { dottedName } from './ast.js';
import { ExpressionSyntaxError, tokenize, type Token } from './tokenizer.js';

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

import { invalid, runtimeError, unsupported } from '../errors.js';
import { deepEqual, expectBoolean, isMap, typeName } from '../values.js';
import { type BinaryOperator, type Expr, calledFunctions, parseExpression } from './parser.js';

type Arithmetic = (left: number, right: number) => number;

const ARITHMETIC: Record<string, Arithmetic> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / nonZero(b),
  '//': (a, b) => Math.floor(a / nonZero(b)),
  // Floored modulo, so the result takes the divisor's sign.
  '%': (a, b) => ((a % nonZero(b)) + b) % b,
};

/** Applies a non-short-circuit binary operator to two evaluated operands. */
export function applyBinary(op: BinaryOperator, left: unknown, right: unknown): unknown {
  switch (op) {
    case '==':
      return deepEqual(left, right);
    case '!=':
      return !deepEqual(left, right);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op, left, right);
    case 'in':
      return contains(right, left);
    case 'and':
    case 'or':
      return op === 'and'
        ? expectBoolean(left, 'and') && expectBoolean(right, 'and')
        : expectBoolean(left, 'or') || expectBoolean(right, 'or');
    default:
      return arithmetic(op, left, right);
  }
}

/** Unary minus and `not`. */
export function applyUnary(op: '-' | 'not', operand: unknown): unknown {
  if (op === 'not') return !expectBoolean(operand, 'not');
  if (typeof operand !== 'number') throw badOperands('-', operand);
  return -operand;
}

function arithmetic(op: string, left: unknown, right: unknown): unknown {
  if (op === '+' && typeof left === 'string' && typeof right === 'string') return left + right;
  const apply = ARITHMETIC[op];
  if (!apply || typeof left !== 'number' || typeof right !== 'number') {
    throw badOperands(op, left, right);
  }
  return apply(left, right);
}

function compare(op: string, left: unknown, right: unknown): boolean {
  const comparable =
    (typeof left === 'number' && typeof right === 'number') ||
    (typeof left === 'string' && typeof right === 'string');
  if (!comparable) throw badOperands(op, left, right);
  const a = left;
  const b = right;
  if (op === '<') return a < b;
  if (op === '<=') return a <= b;
  if (op === '>') return a > b;
  return a >= b;
}

function contains(container: unknown, item: unknown): boolean {
  if (Array.isArray(container)) return container.some((entry) => deepEqual(entry, item));
  if (isMap(container)) return typeof item === 'string' && Object.hasOwn(container, item);
  throw badOperands('in', item, container);
}

function nonZero(divisor: number): number {
  if (divisor === 0) throw runtimeError('ZeroDivisionError', 'division by zero');
  return divisor;
}

function badOperands(op: string, ...operands: unknown[]) {
  const types = operands.map(typeName).join(' and ');
  return runtimeError('TypeError', `unsupported operand type(s) for ${op}: ${types}`);
}

/** What an expression can see: variables and functions. */
export interface EvalContext {
  /** The variable's value; throws a KeyError map when it is not defined. */
  variable(name: string): unknown;
  /** Calls a standard library function by its dotted name. */
  call(name: string, args: unknown[]): unknown;
}

/** Evaluates an expression tree; runtime errors are raised as WorkflowError maps. */
export function evaluate(expr: Expr, context: EvalContext): unknown {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'variable':
      return context.variable(expr.name);
    case 'member':
      return field(evaluate(expr.object, context), expr.name);
    case 'index':
      return element(evaluate(expr.object, context), evaluate(expr.index, context));
    case 'call':
      return context.call(
        expr.callee,
        expr.args.map((arg) => evaluate(arg, context)),
      );
    case 'unary':
      return applyUnary(expr.op, evaluate(expr.operand, context));
    case 'binary':
      return binary(expr, context);
    case 'list':
      return expr.items.map((item) => evaluate(item, context));
    case 'map':
      return Object.fromEntries(
        expr.entries.map((entry) => [entry.key, evaluate(entry.value, context)]),
      );
  }
}

/** `value.name`: a key of a map. */
export function field(value: unknown, name: string): unknown {
  if (!isMap(value)) {
    throw runtimeError('TypeError', `cannot read field "${name}" of ${typeName(value)}`);
  }
  if (!Object.hasOwn(value, name)) throw runtimeError('KeyError', `key not found: ${name}`);
  return value[name];
}

/** `value[index]`: a list element or a map key. */
export function element(value: unknown, index: unknown): unknown {
  if (Array.isArray(value)) {
    if (typeof index !== 'number' || !Number.isInteger(index)) {
      throw runtimeError('TypeError', `list index must be an integer, got ${typeName(index)}`);
    }
    if (index < 0 || index >= value.length) {
      throw runtimeError('IndexError', `list index out of range: ${index}`);
    }
    return value[index];
  }
  if (typeof index !== 'string') {
    throw runtimeError('TypeError', `cannot index ${typeName(value)} with ${typeName(index)}`);
  }
  return field(value, index);
}

function binary(expr: Extract<Expr, { kind: 'binary' }>, context: EvalContext): unknown {
  const left = evaluate(expr.left, context);
  // `and` and `or` short-circuit, so `x != null and x.y` is safe.
  if (expr.op === 'and' && !expectBoolean(left, 'and')) return false;
  if (expr.op === 'or' && expectBoolean(left, 'or')) return true;
  return applyBinary(expr.op, left, evaluate(expr.right, context));
}

/** A YAML value whose `${...}` strings were compiled to expressions. */
export type Template =
  | { kind: 'const'; value: unknown }
  | { kind: 'expr'; expr: Expr; text: string }
  | { kind: 'list'; items: Template[] }
  | { kind: 'map'; entries: [string, Template][] };

/** Decides at parse time whether a function name exists. */
export type FunctionCheck = (name: string) => boolean;

const WHOLE_EXPRESSION = /^\$\{([\s\S]*)\}$/;

/** True when the YAML value is one whole `${...}` expression. */
export function isExpressionText(value: unknown): value is string {
  return typeof value === 'string' && WHOLE_EXPRESSION.test(value.trim());
}

/** Compiles a YAML value; syntax errors and unknown functions are reported with `path`. */
export function compileTemplate(value: unknown, path: string, known: FunctionCheck): Template {
  if (isExpressionText(value))
    return { kind: 'expr', expr: compileExpression(value, path, known), text: value };
  if (typeof value === 'string' && value.includes('${')) {
    throw unsupported(`string interpolation ${JSON.stringify(value)}`, path);
  }
  if (Array.isArray(value)) {
    return { kind: 'list', items: value.map((item) => compileTemplate(item, path, known)) };
  }
  if (isMap(value)) {
    const entries = Object.entries(value).map(([key, inner]): [string, Template] => [
      key,
      compileTemplate(inner, path, known),
    ]);
    return { kind: 'map', entries };
  }
  return { kind: 'const', value };
}

/** Compiles `${...}` text to an expression tree. */
export function compileExpression(text: string, path: string, known: FunctionCheck): Expr {
  const body = WHOLE_EXPRESSION.exec(text.trim())?.[1] ?? text;
  let expr: Expr;
  try {
    expr = parseExpression(body);
  } catch (error) {
    throw invalid(`bad expression ${text}: ${(error as Error).message}`, path);
  }
  const unknown = calledFunctions(expr).find((name) => !known(name));
  if (unknown) throw unsupported(`function ${unknown}()`, path);
  return expr;
}

/** Evaluates a compiled template to a fresh value. */
export function render(template: Template, context: EvalContext): unknown {
  switch (template.kind) {
    case 'const':
      return structuredClone(template.value);
    case 'expr':
      return evaluate(template.expr, context);
    case 'list':
      return template.items.map((item) => render(item, context));
    case 'map':
      return Object.fromEntries(
        template.entries.map(([key, inner]) => [key, render(inner, context)]),
      );
  }
}

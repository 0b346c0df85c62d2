import { runtimeError } from '../errors.js';
import { deepEqual, expectBoolean, isMap, typeName } from '../values.js';
import type { BinaryOperator } from './ast.js';

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

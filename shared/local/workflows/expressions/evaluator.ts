import { runtimeError } from '../errors.js';
import { expectBoolean, isMap, typeName } from '../values.js';
import type { Expr } from './ast.js';
import { applyBinary, applyUnary } from './operators.js';

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

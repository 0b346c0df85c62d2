import { runtimeError } from '../errors.js';
import {
  expectInt,
  expectList,
  expectMap,
  expectNumber,
  expectString,
  isMap,
  typeName,
} from '../values.js';
import { fixed, type StdFunction } from './types.js';

/** Type conversion, collections and maths. */
export const CORE_FUNCTIONS: Record<string, StdFunction> = {
  len: fixed(1, ([value]) => length(value)),
  keys: fixed(1, ([map]) => Object.keys(expectMap(map, 'keys'))),
  default: fixed(2, ([value, fallback]) =>
    value === null || value === undefined ? fallback : value,
  ),
  int: fixed(1, ([value]) => toInt(value)),
  double: fixed(1, ([value]) => toDouble(value)),
  string: fixed(1, ([value]) => toText(value)),
  bool: fixed(1, ([value]) => toBool(value)),
  type: fixed(1, ([value]) => typeName(value)),
  'map.get': fixed(2, ([map, key]) => mapGet(map, key)),
  'map.merge': fixed(2, ([a, b]) => ({
    ...expectMap(a, 'map.merge'),
    ...expectMap(b, 'map.merge'),
  })),
  'list.concat': fixed(2, ([list, value]) => [...expectList(list, 'list.concat'), value]),
  'list.prepend': fixed(2, ([list, value]) => [value, ...expectList(list, 'list.prepend')]),
  'math.min': fixed(2, ([a, b]) =>
    Math.min(expectNumber(a, 'math.min'), expectNumber(b, 'math.min')),
  ),
  'math.max': fixed(2, ([a, b]) =>
    Math.max(expectNumber(a, 'math.max'), expectNumber(b, 'math.max')),
  ),
  'math.floor': fixed(1, ([x]) => Math.floor(expectNumber(x, 'math.floor'))),
  'math.abs': fixed(1, ([x]) => Math.abs(expectNumber(x, 'math.abs'))),
};

function length(value: unknown): number {
  if (typeof value === 'string') return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (value instanceof Uint8Array) return value.length;
  if (isMap(value)) return Object.keys(value).length;
  throw runtimeError('TypeError', `len: unsupported type ${typeName(value)}`);
}

function mapGet(map: unknown, key: unknown): unknown {
  const path = Array.isArray(key) ? key : [key];
  let current: unknown = map;
  for (const step of path) {
    const name = expectString(step, 'map.get key');
    if (current === null || current === undefined) return null;
    const record = expectMap(current, 'map.get');
    if (!Object.hasOwn(record, name)) return null;
    current = record[name];
  }
  return current ?? null;
}

function toInt(value: unknown): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value))
    return Number.parseInt(value, 10);
  if (typeof value === 'string') throw runtimeError('ValueError', `int: cannot parse "${value}"`);
  throw runtimeError('TypeError', `int: unsupported type ${typeName(value)}`);
}

function toDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  if (typeof value === 'string')
    throw runtimeError('ValueError', `double: cannot parse "${value}"`);
  throw runtimeError('TypeError', `double: unsupported type ${typeName(value)}`);
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw runtimeError('TypeError', `string: unsupported type ${typeName(value)}`);
}

function toBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return expectInt(value, 'bool') !== 0;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === 'false') return lower === 'true';
    throw runtimeError('ValueError', `bool: cannot parse "${value}"`);
  }
  throw runtimeError('TypeError', `bool: unsupported type ${typeName(value)}`);
}

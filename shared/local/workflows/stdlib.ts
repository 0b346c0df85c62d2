import { randomUUID } from 'node:crypto';
import { runtimeError } from './errors.js';
import {
  expectBytes,
  expectInt,
  expectString,
  isMap,
  typeName,
  expectList,
  expectMap,
  expectNumber,
} from './values.js';

/** What standard library functions may read from the outside world. */
export interface StdHost {
  /** Epoch milliseconds. */
  now(): number;
  /** Built-in environment variables by their Cloud Workflows names. */
  env: Record<string, string>;
}

/** One standard library function: its argument count range and body. */
export interface StdFunction {
  min: number;
  max: number;
  run(args: unknown[], host: StdHost): unknown;
}

/** Shorthand for a function that always takes exactly `count` arguments. */
export function fixed(count: number, run: StdFunction['run']): StdFunction {
  return { min: count, max: count, run };
}

/** JSON, base64 and text functions. Bytes are Uint8Array values. */
export const CODEC_FUNCTIONS: Record<string, StdFunction> = {
  'json.encode': { min: 1, max: 2, run: ([value]) => Buffer.from(jsonText(value)) },
  'json.encode_to_string': { min: 1, max: 2, run: ([value]) => jsonText(value) },
  'json.decode': fixed(1, ([data]) => jsonDecode(data)),
  'base64.encode': { min: 1, max: 2, run: ([data, padding]) => base64Encode(data, padding) },
  'base64.decode': { min: 1, max: 2, run: ([text]) => base64Decode(text) },
  'text.encode': {
    min: 1,
    max: 2,
    run: ([text]) => Buffer.from(expectString(text, 'text.encode')),
  },
  'text.decode': {
    min: 1,
    max: 2,
    run: ([data]) => Buffer.from(expectBytes(data, 'text.decode')).toString('utf8'),
  },
  'text.split': fixed(2, ([text, separator]) =>
    expectString(text, 'text.split').split(expectString(separator, 'text.split')),
  ),
  'text.replace_all': fixed(3, ([text, from, to]) =>
    expectString(text, 'text.replace_all').replaceAll(
      expectString(from, 'text.replace_all'),
      expectString(to, 'text.replace_all'),
    ),
  ),
  'text.to_lower': fixed(1, ([text]) => expectString(text, 'text.to_lower').toLowerCase()),
  'text.to_upper': fixed(1, ([text]) => expectString(text, 'text.to_upper').toUpperCase()),
  'text.substring': fixed(3, ([text, start, end]) => substring(text, start, end)),
  'text.find_all': fixed(2, ([text, needle]) => findAll(text, needle)),
  'text.match_regex': fixed(2, ([text, pattern]) => matchRegex(text, pattern)),
};

function jsonText(value: unknown): string {
  return JSON.stringify(bytesToBase64(value));
}

// Cloud Workflows encodes bytes inside JSON as base64 strings.
function bytesToBase64(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(bytesToBase64);
  if (isMap(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bytesToBase64(v)]));
  }
  return value;
}

function jsonDecode(data: unknown): unknown {
  const text =
    typeof data === 'string'
      ? data
      : Buffer.from(expectBytes(data, 'json.decode')).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw runtimeError('ValueError', `json.decode: ${(error as Error).message}`);
  }
}

function base64Encode(data: unknown, padding: unknown): string {
  const text = Buffer.from(expectBytes(data, 'base64.encode')).toString('base64');
  return padding === false ? text.replace(/=+$/, '') : text;
}

function base64Decode(text: unknown): Uint8Array {
  const encoded = expectString(text, 'base64.decode');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) {
    throw runtimeError('ValueError', 'base64.decode: input is not valid base64');
  }
  return Buffer.from(encoded, 'base64');
}

function substring(text: unknown, start: unknown, end: unknown): string {
  const chars = [...expectString(text, 'text.substring')];
  const from = Math.max(0, expectInt(start, 'text.substring start'));
  const to = Math.min(chars.length, expectInt(end, 'text.substring end'));
  return from >= to ? '' : chars.slice(from, to).join('');
}

function findAll(text: unknown, needle: unknown): { index: number; match: string }[] {
  const source = expectString(text, 'text.find_all');
  const target = expectString(needle, 'text.find_all');
  if (target === '') throw runtimeError('ValueError', `text.find_all: empty ${typeName(target)}`);
  const found: { index: number; match: string }[] = [];
  for (let at = source.indexOf(target); at >= 0; at = source.indexOf(target, at + target.length)) {
    found.push({ index: at, match: target });
  }
  return found;
}

/**
 * Whether `text` contains a match of `pattern`. Cloud Workflows uses RE2; JavaScript's engine
 * agrees on the RE2 subset (no backreferences or lookaround), which is all a workflow should use.
 */
function matchRegex(text: unknown, pattern: unknown): boolean {
  const source = expectString(text, 'text.match_regex');
  const expression = expectString(pattern, 'text.match_regex');
  let regex: RegExp;
  try {
    regex = new RegExp(expression, 'u');
  } catch (error) {
    throw runtimeError('ValueError', `text.match_regex: ${(error as Error).message}`);
  }
  return regex.test(source);
}

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

/** Clock, environment, UUIDs and time formatting. */
export const SYSTEM_FUNCTIONS: Record<string, StdFunction> = {
  'sys.now': fixed(0, (_args, host) => host.now() / 1000),
  'sys.get_env': {
    min: 1,
    max: 2,
    run: ([name, fallback], host) => getEnv(name, fallback, host.env),
  },
  'uuid.generate': fixed(0, () => randomUUID()),
  'time.format': { min: 1, max: 2, run: ([seconds, zone]) => formatTime(seconds, zone) },
  'time.parse': fixed(1, ([text]) => parseTime(text)),
};

function getEnv(name: unknown, fallback: unknown, env: Record<string, string>): unknown {
  const key = expectString(name, 'sys.get_env');
  if (Object.hasOwn(env, key)) return env[key];
  return fallback === undefined ? null : fallback;
}

function formatTime(seconds: unknown, zone: unknown): string {
  if (zone !== undefined && zone !== 'UTC' && zone !== 'Etc/UTC') {
    throw runtimeError(
      'ValueError',
      `time.format: only UTC is supported locally, got ${JSON.stringify(zone)}`,
    );
  }
  const millis = expectNumber(seconds, 'time.format') * 1000;
  const date = new Date(millis);
  if (Number.isNaN(date.getTime())) throw runtimeError('ValueError', 'time.format: out of range');
  return date.toISOString();
}

function parseTime(text: unknown): number {
  const millis = Date.parse(expectString(text, 'time.parse'));
  if (Number.isNaN(millis))
    throw runtimeError('ValueError', `time.parse: cannot parse "${String(text)}"`);
  return millis / 1000;
}

const FUNCTIONS: Record<string, StdFunction> = {
  ...CORE_FUNCTIONS,
  ...CODEC_FUNCTIONS,
  ...SYSTEM_FUNCTIONS,
};

/** True when the standard library has this function. */
export function isStdFunction(name: string): boolean {
  return Object.hasOwn(FUNCTIONS, name);
}

/** Calls a standard library function, checking its argument count. */
export function callStdFunction(name: string, args: unknown[], host: StdHost): unknown {
  const fn = FUNCTIONS[name];
  if (!fn) throw runtimeError('KeyError', `function not found: ${name}`);
  if (args.length < fn.min || args.length > fn.max) {
    throw runtimeError(
      'TypeError',
      `${name}() takes ${fn.min}-${fn.max} arguments, got ${args.length}`,
    );
  }
  return fn.run(args, host);
}

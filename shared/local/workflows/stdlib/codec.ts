import { runtimeError } from '../errors.js';
import { expectBytes, expectInt, expectString, isMap, typeName } from '../values.js';
import { fixed, type StdFunction } from './types.js';

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

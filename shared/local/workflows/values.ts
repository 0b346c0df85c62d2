import { runtimeError } from './errors.js';

/** A workflow map: a plain object with string keys. */
export type WorkflowMap = Record<string, unknown>;

/** True for a workflow map (not a list, bytes or null). */
export function isMap(value: unknown): value is WorkflowMap {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}

/** The type name Cloud Workflows' `type()` reports. */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'double';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Uint8Array) return 'bytes';
  return 'map';
}

/** Structural equality; integers and doubles compare by value. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return a == b;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(b);
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]))
    );
  }
  return false;
}

/** A deep copy: workflow variables have value semantics. */
export function copyValue<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/** The value as a number, or a TypeError naming `what`. */
export function expectNumber(value: unknown, what: string): number {
  if (typeof value !== 'number') throw typeMismatch(what, 'a number', value);
  return value;
}

/** The value as an integer, or a TypeError naming `what`. */
export function expectInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw typeMismatch(what, 'an integer', value);
  }
  return value;
}

/** The value as a string, or a TypeError naming `what`. */
export function expectString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw typeMismatch(what, 'a string', value);
  return value;
}

/** The value as a list, or a TypeError naming `what`. */
export function expectList(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw typeMismatch(what, 'a list', value);
  return value;
}

/** The value as a map, or a TypeError naming `what`. */
export function expectMap(value: unknown, what: string): WorkflowMap {
  if (!isMap(value)) throw typeMismatch(what, 'a map', value);
  return value;
}

/** The value as bytes, or a TypeError naming `what`. */
export function expectBytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw typeMismatch(what, 'bytes', value);
  return value;
}

/** The value as a boolean, or a TypeError naming `what`. */
export function expectBoolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw typeMismatch(what, 'a boolean', value);
  return value;
}

function typeMismatch(what: string, expected: string, value: unknown) {
  return runtimeError('TypeError', `${what}: expected ${expected}, got ${typeName(value)}`);
}

import { runtimeError } from './errors.js';
import { evaluate } from './expressions/evaluator.js';
import type { AssignTarget } from './program.js';
import { evalContext, type Frame } from './runtime.js';
import { isMap, typeName } from './values.js';

type Key = string | number;

/**
 * Assigns `value` to `a`, `a.b`, `a[0]` or `m["k"]`. Missing map keys along the way are
 * created as empty maps; list indexes must already exist.
 */
export function assignTo(target: AssignTarget, value: unknown, frame: Frame): void {
  if (target.accessors.length === 0) {
    frame.scope.set(target.root, value);
    return;
  }
  const context = evalContext(frame);
  const keys: Key[] = target.accessors.map((accessor) =>
    accessor.kind === 'field' ? accessor.name : toKey(evaluate(accessor.index, context)),
  );
  const root = frame.scope.get(target.root);
  // Writing through the root also checks that a parallel branch may write it.
  frame.scope.set(target.root, root);
  let container = root;
  for (const key of keys.slice(0, -1)) container = child(container, key);
  put(container, keys[keys.length - 1] as Key, value);
}

function toKey(index: unknown): Key {
  if (typeof index === 'string' || (typeof index === 'number' && Number.isInteger(index))) {
    return index;
  }
  throw runtimeError('TypeError', `cannot use ${typeName(index)} as a key or index`);
}

function child(container: unknown, key: Key): unknown {
  if (Array.isArray(container)) return container[checkedIndex(container, key)];
  const map = checkedMap(container, key);
  const name = String(key);
  if (!Object.hasOwn(map, name)) map[name] = {};
  return map[name];
}

function put(container: unknown, key: Key, value: unknown): void {
  if (Array.isArray(container)) {
    container[checkedIndex(container, key)] = value;
    return;
  }
  checkedMap(container, key)[String(key)] = value;
}

function checkedIndex(list: unknown[], key: Key): number {
  if (typeof key !== 'number')
    throw runtimeError('TypeError', `list index must be an integer: ${key}`);
  if (key < 0 || key >= list.length)
    throw runtimeError('IndexError', `list index out of range: ${key}`);
  return key;
}

function checkedMap(container: unknown, key: Key): Record<string, unknown> {
  if (!isMap(container)) {
    throw runtimeError('TypeError', `cannot set "${key}" on ${typeName(container)}`);
  }
  if (typeof key !== 'string') throw runtimeError('TypeError', `map key must be a string: ${key}`);
  return container;
}

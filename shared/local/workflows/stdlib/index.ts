import { runtimeError } from '../errors.js';
import { CODEC_FUNCTIONS } from './codec.js';
import { CORE_FUNCTIONS } from './core.js';
import { SYSTEM_FUNCTIONS } from './system.js';
import type { StdFunction, StdHost } from './types.js';

export type { StdHost } from './types.js';

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

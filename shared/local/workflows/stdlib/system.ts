import { randomUUID } from 'node:crypto';
import { runtimeError } from '../errors.js';
import { expectNumber, expectString } from '../values.js';
import { fixed, type StdFunction } from './types.js';

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

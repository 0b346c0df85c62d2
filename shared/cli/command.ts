import type { Writable } from 'node:stream';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ObjectStore } from '../platform/ports/object-store.js';

/** A command line that cannot be used; the message says why, and the exit code is 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A stream the CLI writes to; `isTTY` decides between a live progress bar and plain lines. */
export type CliStream = Writable & { isTTY?: boolean; columns?: number };

/** Where the CLI writes: injected so tests can capture output and run without a terminal. */
export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
}

/** Writes `text` and a newline to `stream`. */
export function println(stream: CliStream, text = ''): void {
  stream.write(`${text}\n`);
}

/** Makes the object store behind `gs://` locations, only when one is used. */
export type ObjectStoreFactory = () => ObjectStore;

/** What every command gets from the entry point. */
export interface CommandContext {
  io: CliIo;
  env: Record<string, string | undefined>;
  /** The store behind `gs://` locations. */
  objectStore: ObjectStoreFactory;
}

/** One `chimera <name>` subcommand. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full usage text, shown by `--help` and after a usage error. */
  usage: string;
  /** Runs the command and returns the exit code; throws UsageError for a bad command line. */
  run(argv: string[], context: CommandContext): Promise<number>;
}

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** Option values by name, as node:util parseArgs gives them. */
export type OptionValues = Record<string, string | boolean | undefined>;

/** What one command's arguments say. */
export interface ParsedOptions {
  values: OptionValues;
  positionals: string[];
}

/**
 * Parses one command's arguments strictly: unknown options and a wrong number of positionals
 * are UsageErrors. `positionals` names the expected positionals, for the message.
 */
export function parseOptions(
  argv: string[],
  options: OptionSpecs,
  positionals: readonly string[] = [],
): ParsedOptions {
  let parsed: ParsedOptions;
  try {
    // No option here is `multiple`, so no value is an array.
    parsed = parseArgs({
      args: argv,
      options,
      allowPositionals: true,
      strict: true,
    }) as ParsedOptions;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.positionals.length !== positionals.length) {
    const wanted = positionals.map((name) => `<${name}>`).join(' ') || 'no arguments';
    throw new UsageError(`expected ${wanted}, got ${parsed.positionals.length} argument(s)`);
  }
  return parsed;
}

/** A string option's value, if given. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A whole-number option within [min, max], or `fallback` when absent. */
export function integerOption(
  values: OptionValues,
  name: string,
  range: { min: number; max: number },
  fallback: number,
): number {
  const text = stringOption(values, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < range.min || value > range.max) {
    throw new UsageError(`--${name} must be a whole number from ${range.min} to ${range.max}`);
  }
  return value;
}

/** A positive number of seconds (fractions allowed) as milliseconds, or `fallback`. */
export function secondsOption(values: OptionValues, name: string, fallbackMs: number): number {
  const text = stringOption(values, name);
  if (text === undefined) return fallbackMs;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new UsageError(`--${name} must be a number of seconds above 0, at most 3600`);
  }
  return Math.round(seconds * 1000);
}

/** One of `allowed`, or `fallback` when absent. */
export function choiceOption<T extends string>(
  values: OptionValues,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const text = stringOption(values, name);
  if (text === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(text)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got "${text}"`);
  }
  return text as T;
}

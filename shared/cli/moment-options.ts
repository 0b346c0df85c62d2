import { type Moment, parseMoments } from '../engine/stream/moments.js';
import { hasCode } from '../platform/errors.js';
import { UsageError } from './command.js';

// The `--at <moments>` option of `chimera parse` and `chimera book`.

/**
 * `--at -60s` as `--at=-60s`: a value starting with "-" reads as an option to the argument
 * parser, and offsets before the off always do.
 */
export function joinMomentValue(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (argv[i] === '--at' && next !== undefined) {
      joined.push(`--at=${next}`);
      i++;
    } else joined.push(argv[i] as string);
  }
  return joined;
}

/** parseMoments, its refusal as a usage error. */
export function momentsOption(text: string): Moment[] {
  try {
    return parseMoments(text);
  } catch (error) {
    if (hasCode(error, 'STREAM.BAD_MOMENT')) throw new UsageError((error as Error).message);
    throw error;
  }
}

import type { z } from 'zod';
import { AppError } from '../errors/app-error.js';

/**
 * Parses untrusted input with a zod schema; failure is a 400 whose message names each bad
 * field, so the caller can fix the request.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what = 'request',
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : what;
    return `${field}: ${issue.message}`;
  });
  throw new AppError('REQUEST.INVALID', 'invalid', `Invalid ${what}: ${problems.join('; ')}`);
}

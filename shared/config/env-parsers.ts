import { z } from 'zod';

// Parsers for settings read from environment variables, shared by the runtime configuration
// (config.ts) and the deployment stack's options (cdktf/options.ts).

/** A whole number in [min, max], from its decimal text. */
export const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** `true` or `false`, as a boolean. */
export const flag = z.enum(['true', 'false']).transform((text) => text === 'true');

/** A comma-separated list (`GB,IE`), blanks dropped, each item checked by `item`. */
export function csvList<T extends z.ZodType<string, string>>(item: T) {
  return z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));
}

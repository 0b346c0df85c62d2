import { z } from 'zod';
import { UsageError } from './usage-error.js';

const envSchema = z.object({
  CHIMERA_API_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).optional(),
});

/**
 * The pipeline API to talk to: `--url`, else `CHIMERA_API_URL`, else the local gateway on
 * `PORT` (8080 by default), as `npm start` serves it.
 */
export function resolveApiUrl(
  flag: string | undefined,
  env: Record<string, string | undefined>,
): string {
  if (flag !== undefined) return checkedUrl(flag, '--url');
  const parsed = envSchema.safeParse({
    CHIMERA_API_URL: env.CHIMERA_API_URL || undefined,
    PORT: env.PORT || undefined,
  });
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new UsageError(`invalid environment variable(s): ${names}`);
  }
  return parsed.data.CHIMERA_API_URL ?? `http://127.0.0.1:${parsed.data.PORT ?? 8080}`;
}

function checkedUrl(text: string, name: string): string {
  if (!z.url({ protocol: /^https?$/ }).safeParse(text).success) {
    throw new UsageError(`${name} must be an http(s) URL; got "${text}"`);
  }
  return text;
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';

/**
 * The header carrying the per-run token: a secret each `npm start` makes anew and hands only to
 * its own components (the function adapters, the bus, the scheduler, the workflow
 * interpreter), which the gateway asks of the runtime's control endpoints (`/v1/…`) and of the
 * event and scheduled functions.
 */
export const RUN_TOKEN_HEADER = 'x-chimera-run-token';

/** A fresh token: 256 random bits. */
export function newRunToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The header that proves a request comes from the runtime itself. */
export function runTokenHeaders(token: string | undefined): Record<string, string> {
  return token ? { [RUN_TOKEN_HEADER]: token } : {};
}

/** Whether the request carries `token` (compared in constant time); never without a token. */
export function hasRunToken(req: IncomingMessage, token: string | undefined): boolean {
  const given = req.headers[RUN_TOKEN_HEADER];
  if (!token || typeof given !== 'string') return false;
  const expected = Buffer.from(token);
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Where a run's token is kept for the person running it: `<dataDir>/run/token`, mode 0600. */
export function runTokenPath(dataDir: string): string {
  return path.resolve(dataDir, 'run', 'token');
}

/** Writes the token for a person to open the control endpoints deliberately. */
export async function writeRunToken(dataDir: string, token: string): Promise<string> {
  const file = runTokenPath(dataDir);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return file;
}

/** Removes the token file as the run stops: the token dies with the run. */
export async function removeRunToken(dataDir: string): Promise<void> {
  await rm(runTokenPath(dataDir), { force: true });
}

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { AppError } from '../../shared/errors/app-error.js';

/** Where the reference `bzip2` binary lives; tests that need it skip when it is absent. */
export const BZIP2 = '/usr/bin/bzip2';
export const hasBzip2 = existsSync(BZIP2);

/** Compresses with the reference tool at level 1..9. */
export function bzip2Compress(data: Uint8Array, level: number): Buffer {
  return execFileSync(BZIP2, ['-c', `-${level}`], { input: data, maxBuffer: 1 << 30 });
}

/** Decompresses with the reference tool. */
export function bzip2Decompress(data: Uint8Array): Buffer {
  return execFileSync(BZIP2, ['-dc'], { input: data, maxBuffer: 1 << 30 });
}

/** The real Betfair samples beside the checkout (never copied into the repository). */
export const SAMPLES_DIR = resolve(import.meta.dirname, '../../../shared/data/betfair/historic');

/** Every .bz2 file under the samples folder, or none when it is absent. */
export function sampleFiles(dir = SAMPLES_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sampleFiles(path);
    return entry.name.endsWith('.bz2') ? [path] : [];
  });
}

/** Yields `data` in chunks of `size` bytes, as a stream would. */
export async function* chunked(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
  await Promise.resolve();
}

/** Drains an async iterable of buffers into one Buffer. */
export async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/** Asserts that draining `chunks` fails with an AppError of `code` (and returns it). */
export async function expectFailure(
  chunks: AsyncIterable<Uint8Array>,
  code: string,
): Promise<AppError> {
  const error: unknown = await collect(chunks).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect((error as AppError).kind).toBe('invalid');
  return error as AppError;
}

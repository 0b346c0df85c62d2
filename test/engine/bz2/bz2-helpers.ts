import { expect } from 'vitest';
import { AppError } from '../../../shared/platform/errors.js';

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

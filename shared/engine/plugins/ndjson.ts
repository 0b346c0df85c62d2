import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { gzipCorrupt, gzipTruncated, definePlugin, type SourcePlugin } from './plugins.js';

/**
 * Streams gzip data through zlib: every member of a multi-member file is decoded, an empty input
 * gives empty output, and damage fails with GZIP.CORRUPT or GZIP.TRUNCATED. Errors of the
 * source itself (a failed download) pass through unchanged.
 */
export async function* gunzipStream(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await firstNonEmpty(iterator);
  if (first === undefined) return;
  const gunzip = createGunzip();
  // pipeline destroys every stream with the first error, so iterating `gunzip` reports it.
  pipeline(Readable.from(resume(first, iterator)), gunzip, () => undefined);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    throw asGzipError(error);
  }
}

async function firstNonEmpty(iterator: AsyncIterator<Buffer>): Promise<Buffer | undefined> {
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return undefined;
    if (next.value.length > 0) return next.value;
  }
}

async function* resume(first: Buffer, iterator: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  yield* { [Symbol.asyncIterator]: () => iterator };
}

function asGzipError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'Z_BUF_ERROR') return gzipTruncated(error);
  if (code === 'Z_DATA_ERROR' || code === 'Z_NEED_DICT' || code === 'Z_STREAM_ERROR') {
    return gzipCorrupt((error as Error).message, error);
  }
  return error;
}

/** gzip-compressed NDJSON, decoded with zlib. */
export function createNdjsonGzipPlugin(enabled = true): SourcePlugin {
  return definePlugin({
    id: 'ndjson-gzip',
    name: 'Gzipped NDJSON',
    description: 'gzip-compressed newline-delimited JSON (multi-member gzip supported)',
    extensions: ['.gz', '.ndjson.gz', '.json.gz'],
    compression: 'gzip',
    enabled,
    decoder: gunzipStream,
  });
}

/** Plain NDJSON: the bytes are already what the lines stage needs. */
export function createNdjsonPlugin(enabled = true): SourcePlugin {
  return definePlugin({
    id: 'ndjson',
    name: 'NDJSON',
    description: 'Uncompressed newline-delimited JSON',
    extensions: ['.ndjson', '.jsonl', '.json'],
    compression: 'none',
    enabled,
    decoder: (source) => source,
  });
}

import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';

/** `source` gzipped; a failing source fails the gzip stream, so no truncated output looks whole. */
export function gzipBytes(source: Readable | AsyncIterable<Uint8Array>): Readable {
  const gzip = createGzip();
  pipeline(source instanceof Readable ? source : Readable.from(source), gzip, (error) => {
    if (error) gzip.destroy(error);
  });
  return gzip;
}

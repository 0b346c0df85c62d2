import { Readable } from 'node:stream';
import {
  BlockScheduler,
  readMarker,
  readStreamHeader,
  corrupt,
  blockName,
} from './block-scheduler.js';
import { CompressedInput } from './compressed-input.js';
import { combineCrc } from './crc32.js';
import type { Bzip2WorkerPool } from './worker-pool.js';

/** Options for decodeBzip2. */
export interface DecodeBzip2Options {
  /** Decode blocks in parallel on this pool; without it every block decodes on this thread. */
  workers?: Bzip2WorkerPool;
  /** Stops decoding (the iterator throws the signal's reason) between blocks. */
  signal?: AbortSignal;
  /**
   * Decode an input that turns out to be a single block on this thread even when a pool is
   * given (default true: no worker round trip for small files). Set false when many files are
   * decoded concurrently, so small files also spread over the pool.
   */
  inlineSingleBlock?: boolean;
}

/** Compressed bytes: a Node Readable, or any async iterable of byte chunks. */
export type Bzip2Source = AsyncIterable<Uint8Array> | Readable;

/**
 * Decompresses bzip2 data as it streams in, yielding the decompressed bytes in order, one
 * Buffer per block (≤ 900 kB typically). Memory stays bounded whatever the file size: only
 * the blocks being decoded and read ahead are held, and reading stops while the consumer
 * does not pull. Concatenated streams (pbzip2, lbzip2) decode fully; a 0-byte input and an
 * empty stream both yield nothing. Every block CRC and stream CRC is verified.
 *
 * Throws AppError (kind 'invalid'): BZ2.NOT_BZIP2 (bad magic), BZ2.TRUNCATED (input ends
 * before an end-of-stream marker), BZ2.CORRUPT (bad CRC or structure, or trailing data that
 * is not another stream), BZ2.UNSUPPORTED (randomised blocks from bzip2 0.9.0).
 */
export async function* decodeBzip2(
  source: Bzip2Source,
  options: DecodeBzip2Options = {},
): AsyncGenerator<Buffer, void, undefined> {
  const input = new CompressedInput(source[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>);
  yield* decodeCompressed(input, options);
}

/** decodeBzip2 over an already wrapped input (lets tests inject block-magic candidates). */
export async function* decodeCompressed(
  input: CompressedInput,
  options: DecodeBzip2Options = {},
): AsyncGenerator<Buffer, void, undefined> {
  const scheduler = new BlockScheduler(input, options.workers, options.inlineSingleBlock ?? true);
  const signal = options.signal;
  try {
    let headerByte = 0;
    for (let stream = 1; ; stream++) {
      signal?.throwIfAborted();
      const header = await readStreamHeader(input, headerByte, stream);
      if (!header) return;
      let combined = 0;
      let bit = header.firstBit;
      for (let block = 0; ;) {
        const marker = await readMarker(input, bit, { block, stream });
        if (marker.kind === 'end') {
          if (marker.streamCrc !== combined) {
            throw corrupt(`bzip2 stream ${stream} failed its combined CRC check`);
          }
          headerByte = marker.nextByte;
          break;
        }
        block++;
        const decoded = await scheduler.blockAt(bit, block, stream);
        if (decoded.blockLength > header.maxBlockSize) {
          throw corrupt(`bzip2 ${blockName(block, stream)} is larger than its stream allows`);
        }
        combined = combineCrc(combined, decoded.blockCrc);
        bit = decoded.endBit;
        input.discardBefore(bit);
        const { output } = decoded;
        yield Buffer.from(output.buffer, output.byteOffset, output.length);
        signal?.throwIfAborted();
      }
    }
  } finally {
    await input.close();
  }
}

/** decodeBzip2 as a Node Readable (for `pipeline()`); errors surface as stream errors. */
export function decodeBzip2Stream(source: Bzip2Source, options?: DecodeBzip2Options): Readable {
  return Readable.from(decodeBzip2(source, options), { objectMode: false });
}

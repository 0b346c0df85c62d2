import { AppError } from '../errors/app-error.js';

/** BZ2.NOT_BZIP2: the input does not start with a bzip2 stream header ("BZh1".."BZh9"). */
export function notBzip2(head: Uint8Array, offset = 0): AppError {
  const shown = Array.from(head.subarray(0, 4), (b) => `0x${b.toString(16).padStart(2, '0')}`);
  const where = offset === 0 ? 'starts' : `continues at byte ${offset}`;
  return new AppError(
    'BZ2.NOT_BZIP2',
    'invalid',
    `not a bzip2 file (${where} with ${shown.join(' ')}${head.length > 4 ? '…' : ''}, expected "BZh1".."BZh9")`,
  );
}

/** BZ2.TRUNCATED: the input ended before the end-of-stream marker. */
export function truncated(totalBytes: number): AppError {
  return new AppError(
    'BZ2.TRUNCATED',
    'invalid',
    `bzip2 data ends before the end-of-stream marker (truncated after ${totalBytes} bytes)`,
  );
}

/** BZ2.CORRUPT: the data is damaged (bad CRC, impossible Huffman code, bad block layout…). */
export function corrupt(message: string, cause?: unknown): AppError {
  return new AppError('BZ2.CORRUPT', 'invalid', message, { cause });
}

/** BZ2.UNSUPPORTED: valid but obsolete bzip2 data this decoder does not handle. */
export function unsupported(message: string): AppError {
  return new AppError('BZ2.UNSUPPORTED', 'invalid', message);
}

/** Names a block for messages: "block 3" or "block 3 of stream 2" when the file has several. */
export function blockName(block: number, stream: number): string {
  return stream > 1 ? `block ${block} of stream ${stream}` : `block ${block}`;
}

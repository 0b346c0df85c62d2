import { blockName, corrupt, notBzip2, truncated } from './bz2-errors.js';
import type { CompressedInput } from './compressed-input.js';
import { BLOCK_MAGIC, END_OF_STREAM_MAGIC } from './magic-scan.js';

const HEADER = [0x42, 0x5a, 0x68]; // "BZh"

/** A stream header: where its first block (or end marker) starts and its block size limit. */
export interface StreamHeader {
  firstBit: number;
  maxBlockSize: number;
}

/**
 * Reads the "BZh1".."BZh9" header of stream number `stream` (1-based) at byte `at`.
 * Undefined when the input ends cleanly there (a 0-byte file is an empty, valid input).
 * Data after a complete stream that is not another stream is rejected as corrupt rather
 * than ignored (bzip2 only warns), so damaged concatenations never pass silently.
 */
export async function readStreamHeader(
  input: CompressedInput,
  at: number,
  stream: number,
): Promise<StreamHeader | undefined> {
  await input.ensure(at + 4);
  const available = Math.min(4, input.window.endByte - at);
  if (available === 0) return undefined;
  const head = input.window.copy(at, at + available);
  const matches = head.every((b, i) => (i < 3 ? b === HEADER[i] : b >= 0x31 && b <= 0x39));
  if (matches && available === 4)
    return { firstBit: (at + 4) * 8, maxBlockSize: (head[3]! - 0x30) * 100_000 };
  if (matches) throw truncated(input.window.endByte);
  if (stream === 1) throw notBzip2(head);
  throw corrupt(`unexpected data after the end of bzip2 stream ${stream - 1} (at byte ${at})`);
}

/** Which marker starts at bit `bit`: a block, or the end of the stream (with its CRC). */
export async function readMarker(
  input: CompressedInput,
  bit: number,
  after: { block: number; stream: number },
): Promise<{ kind: 'block' } | { kind: 'end'; streamCrc: number; nextByte: number }> {
  if (!(await input.ensure(Math.ceil((bit + 48) / 8)))) throw truncated(input.window.endByte);
  const magic = input.window.bits(bit, 24) * 0x1000000 + input.window.bits(bit + 24, 24);
  if (magic === BLOCK_MAGIC) return { kind: 'block' };
  if (magic === END_OF_STREAM_MAGIC) {
    if (!(await input.ensure(Math.ceil((bit + 80) / 8)))) throw truncated(input.window.endByte);
    return {
      kind: 'end',
      streamCrc: input.window.bits(bit + 48, 32),
      nextByte: Math.ceil((bit + 80) / 8),
    };
  }
  const what =
    after.block === 0
      ? `the header of bzip2 stream ${after.stream}`
      : `bzip2 ${blockName(after.block, after.stream)}`;
  throw corrupt(`${what} is followed by neither a block nor the end-of-stream marker`);
}

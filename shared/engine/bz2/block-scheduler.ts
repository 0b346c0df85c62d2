import {
  BlockDecoder,
  runBlockTask,
  type BlockTask,
  type BlockTaskResult,
} from './block-decoder.js';
import {
  type CompressedInput,
  BufferRecycler,
  BLOCK_MAGIC,
  END_OF_STREAM_MAGIC,
} from './compressed-input.js';
import { AppError } from '../../platform/errors.js';
import type { Bzip2WorkerPool } from './worker-pool.js';

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

/** No valid block is this long compressed (900k symbols × 20 bits + tables ≈ 2.3 MB). */
export const MAX_SEGMENT_BYTES = 3 * 1024 * 1024;

/** A decoded block, with `endBit` absolute in the input. */
export interface ConfirmedBlock {
  output: Uint8Array;
  blockCrc: number;
  endBit: number;
  blockLength: number;
}

interface Segment {
  startBit: number;
  limitBit: number;
  /** The segment runs to the end of the input (or the read-ahead cap), not to a candidate. */
  open: boolean;
  result: Promise<BlockTaskResult>;
}

// One decoder for all inline work: decoding is synchronous, so it is never used concurrently,
// and it saves 4 MB of scratch per decodeBzip2 call.
let inlineDecoder: BlockDecoder | undefined;

// Block inputs are recycled across decodeBzip2 calls too: a process decoding thousands of small
// files would otherwise allocate (and leave to the GC) a fresh 256 kB buffer for each.
const blockInputs = new BufferRecycler(16);

/**
 * Decodes blocks in input order while speculatively decoding the following candidate
 * segments on the worker pool. A segment runs from one block-magic candidate to the next;
 * a candidate becomes a confirmed block start only when the block before it ends there.
 */
export class BlockScheduler {
  private readonly ahead: Segment[] = [];
  private readonly depth: number;
  private readonly buffers = blockInputs;

  constructor(
    private readonly input: CompressedInput,
    private readonly pool: Bzip2WorkerPool | undefined,
    private readonly inlineSingleBlock: boolean,
  ) {
    this.depth = pool ? pool.size * 2 + 1 : 0;
  }

  /** Decodes the confirmed block starting at absolute bit `bit` (block `block` of `stream`). */
  async blockAt(bit: number, block: number, stream: number): Promise<ConfirmedBlock> {
    this.dropBefore(bit);
    let segment =
      this.ahead[0]?.startBit === bit ? this.ahead.shift()! : await this.segment(bit, bit, true);
    await this.speculate(segment);
    for (;;) {
      const result = await segment.result;
      if (result.ok) {
        const endBit = Math.floor(bit / 8) * 8 + result.endBit;
        return { ...result, endBit };
      }
      const name = blockName(block, stream);
      if (result.reason === 'unsupported') throw unsupported(`bzip2 ${name}: ${result.message}`);
      if (result.reason === 'corrupt') throw corrupt(describe(name, result.message));
      if (segment.open && this.input.eof) throw truncated(this.input.window.endByte);
      if (segment.open) throw corrupt(`bzip2 ${name} is longer than any bzip2 block can be`);
      // The candidate that ended the segment was a chance match inside this block. Extend to
      // at least twice the length, so even many chance matches cost few retries.
      this.dropBefore(segment.limitBit + 1);
      segment = await this.segment(bit, bit + 2 * (segment.limitBit - bit), true);
    }
  }

  /** Forgets speculative segments that start before `bit` (false candidates). */
  private dropBefore(bit: number): void {
    while (this.ahead.length > 0 && this.ahead[0]!.startBit < bit) this.ahead.shift();
  }

  /** Starts segments for the candidates after `head`, up to the speculation depth. */
  private async speculate(head: Segment): Promise<void> {
    let last = this.ahead.at(-1) ?? head;
    while (this.ahead.length < this.depth && !last.open) {
      last = await this.segment(last.limitBit, last.limitBit, false);
      this.ahead.push(last);
    }
  }

  private runInline(task: BlockTask): BlockTaskResult {
    const result = runBlockTask((inlineDecoder ??= new BlockDecoder()), task);
    this.buffers.give(task.data);
    return result;
  }

  /** Starts decoding the segment from `start` to the first candidate after `after`. */
  private async segment(start: number, after: number, isHead: boolean): Promise<Segment> {
    const found = await this.input.candidateAfter(after, MAX_SEGMENT_BYTES);
    const limitBit = found ?? this.input.window.endByte * 8;
    const firstByte = Math.floor(start / 8);
    const lastByte = Math.ceil(limitBit / 8);
    const task: BlockTask = {
      data: this.input.window.copy(firstByte, lastByte, this.buffers.take(lastByte - firstByte)),
      bitStart: start - firstByte * 8,
      bitLimit: limitBit - firstByte * 8,
      recycle: (data) => this.buffers.give(data),
    };
    const open = found === undefined;
    const alone = isHead && open && this.input.eof && this.ahead.length === 0;
    const result =
      this.pool && !(alone && this.inlineSingleBlock)
        ? this.pool.decode(task)
        : Promise.resolve(this.runInline(task));
    // Speculative segments may be abandoned unawaited; their failures are reported if used.
    result.catch(() => undefined);
    return { startBit: start, limitBit, open, result };
  }
}

function describe(name: string, message: string): string {
  return message.startsWith('failed')
    ? `bzip2 ${name} ${message}`
    : `bzip2 ${name} is corrupt: ${message}`;
}

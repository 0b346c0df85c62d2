import { blockName, corrupt, truncated, unsupported } from './bz2-errors.js';
import { BlockDecoder } from './block-decoder.js';
import { runBlockTask, type BlockTask, type BlockTaskResult } from './block-task.js';
import { BufferRecycler } from './buffer-recycler.js';
import type { CompressedInput } from './compressed-input.js';
import type { Bzip2WorkerPool } from './worker-pool.js';

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

/**
 * Decodes blocks in input order while speculatively decoding the following candidate
 * segments on the worker pool. A segment runs from one block-magic candidate to the next;
 * a candidate becomes a confirmed block start only when the block before it ends there.
 */
export class BlockScheduler {
  private readonly ahead: Segment[] = [];
  private readonly depth: number;
  private readonly buffers: BufferRecycler;

  constructor(
    private readonly input: CompressedInput,
    private readonly pool: Bzip2WorkerPool | undefined,
    private readonly inlineSingleBlock: boolean,
  ) {
    this.depth = pool ? pool.size * 2 + 1 : 0;
    this.buffers = new BufferRecycler(this.depth + 2);
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

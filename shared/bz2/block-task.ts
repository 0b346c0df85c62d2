import { BlockDecodeError } from './bit-reader.js';
import type { BlockDecoder } from './block-decoder.js';

/** The largest block any bzip2 stream may hold (level 9). */
export const MAX_BLOCK_SIZE = 900_000;

/**
 * One speculative unit of work: decode the block whose marker starts at `bitStart` of
 * `data`, using no bits at or after `bitLimit`. `data` is a private copy, so it can be
 * transferred to a worker thread.
 */
export interface BlockTask {
  data: Uint8Array;
  bitStart: number;
  bitLimit: number;
  /** Called with `data` once a worker has handed it back, so its buffer can be reused. */
  recycle?: (data: Uint8Array) => void;
}

/** What a block task produced; failures are values so they cross thread boundaries intact. */
export type BlockTaskResult =
  | { ok: true; output: Uint8Array; blockCrc: number; endBit: number; blockLength: number }
  | { ok: false; reason: BlockDecodeError['reason']; message: string };

/** Runs a task on this thread; never throws for bad data. */
export function runBlockTask(decoder: BlockDecoder, task: BlockTask): BlockTaskResult {
  try {
    const block = decoder.decode(task.data, task.bitStart, task.bitLimit, MAX_BLOCK_SIZE);
    return { ok: true, ...block };
  } catch (error) {
    if (error instanceof BlockDecodeError) {
      return { ok: false, reason: error.reason, message: error.message };
    }
    throw error;
  }
}

import type { CliStream } from '../cli-io.js';
import { createLineProgress } from './line-progress.js';
import { createTtyProgress } from './tty-progress.js';

/** Where a long task shows how far it got, and prints messages without garbling the bar. */
export interface Progress {
  /** `value` of `total` done; `detail` is shown after the bar (counts, rates). */
  update(value: number, total: number, detail: string): void;
  /** A message line above the bar. */
  log(line: string): void;
  /** Draws the final state and releases the terminal. */
  stop(): void;
}

/** A live bar on a terminal; plain progress lines at most every `intervalMs` otherwise. */
export function createProgress(stream: CliStream, options: { intervalMs?: number } = {}): Progress {
  return stream.isTTY === true
    ? createTtyProgress(stream)
    : createLineProgress(stream, options.intervalMs ?? 2000);
}

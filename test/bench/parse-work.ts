import { replayLines } from '../../shared/engine/stream/replay.js';
import { RunnersCollector } from '../../shared/engine/stream/runners.js';

/**
 * What the parse bench times, on one thread or on each worker thread: every market file
 * replayed on its own with the `runners` product collecting, as a parse job does, and JSON.parse
 * of the same lines alone (the floor).
 */

/** Market files as lines: bytes, as the line splitter hands them over, and the same decoded. */
export interface MarketLines {
  files: Buffer[][];
  texts: string[][];
}

/** Each file's lines as bytes. */
export function lineBytes(texts: readonly string[][]): Buffer[][] {
  return texts.map((lines) => lines.map((line) => Buffer.from(line)));
}

/** The legs, by name: each runs once over all the files it is given. */
export const PARSE_LEGS = {
  engine(work: MarketLines): void {
    for (const lines of work.files) {
      const runners = new RunnersCollector();
      replayLines(lines, { observers: [runners] });
      runners.takeRows();
    }
  },
  parse(work: MarketLines): void {
    for (const lines of work.texts) for (const line of lines) JSON.parse(line);
  },
  decode(work: MarketLines): void {
    for (const lines of work.files) for (const line of lines) JSON.parse(line.toString('utf8'));
  },
} as const;

export type ParseLeg = keyof typeof PARSE_LEGS;

/** Wall seconds of one synchronous run. */
export function secondsOf(run: () => void): number {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

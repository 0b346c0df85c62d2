import type { MarketCache } from './market-cache.js';
import { StreamEngine, type StreamObserver } from './stream-engine.js';
import type { StreamCounts, StreamFault } from './stream-faults.js';

/** A refused line, for the caller's quarantine. `line` counts from 1. */
export interface MalformedLine {
  line: number;
  text: string | Buffer;
  reason: string;
}

/** What a replay saw: its counts, the first faults, and each market's final cache. */
export interface ReplayReport {
  counts: StreamCounts;
  faults: StreamFault[];
  markets: MarketCache[];
  /** True when `stop` ended the replay before the last line: observers saw no end of stream. */
  stopped: boolean;
}

export interface ReplayOptions {
  /** Products and other watchers of each change. */
  observers?: readonly StreamObserver[];
  /** Called with each line the engine refuses. */
  onMalformed?: (line: MalformedLine) => void;
  /**
   * Asked after each line of replayLinesAsync: true stops reading there, the rest of the source
   * unread, and the stream is not ended (no observer's endOfStream is called).
   */
  stop?: () => boolean;
}

/** Replays lines (each without its line break) through a new engine, then ends the stream. */
export function replayLines(
  lines: Iterable<string | Buffer>,
  options: ReplayOptions = {},
): ReplayReport {
  const engine = new StreamEngine(options.observers);
  for (const line of lines) applyOne(engine, line, options);
  return finish(engine);
}

/** replayLines over an asynchronous source, such as decoded lines of an object being read. */
export function replayLinesAsync(
  lines: AsyncIterable<string | Buffer>,
  options: ReplayOptions = {},
): Promise<ReplayReport> {
  return replayLineBatchesAsync(oneByOne(lines), options);
}

/** replayLinesAsync over lines that arrive in batches (chunkLineBatches), each applied at once. */
export async function replayLineBatchesAsync(
  batches: AsyncIterable<readonly (string | Buffer)[]>,
  options: ReplayOptions = {},
): Promise<ReplayReport> {
  const engine = new StreamEngine(options.observers);
  const stop = options.stop;
  for await (const lines of batches) {
    for (const line of lines) {
      applyOne(engine, line, options);
      if (stop?.() === true) return report(engine, true);
    }
  }
  return finish(engine);
}

async function* oneByOne<T>(items: AsyncIterable<T>): AsyncGenerator<T[]> {
  for await (const item of items) yield [item];
}

/** The lines of an NDJSON text: LF or CRLF breaks, a last line with or without one. */
export function ndjsonLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

function applyOne(engine: StreamEngine, line: string | Buffer, options: ReplayOptions): void {
  if (engine.applyLine(line) === 'malformed' && options.onMalformed !== undefined) {
    const reason = engine.malformedReason ?? 'malformed';
    options.onMalformed({ line: engine.counts.lines, text: line, reason });
  }
}

function finish(engine: StreamEngine): ReplayReport {
  engine.finish();
  return report(engine, false);
}

function report(engine: StreamEngine, stopped: boolean): ReplayReport {
  return {
    counts: engine.counts,
    faults: engine.faults.examples,
    markets: [...engine.markets.values()],
    stopped,
  };
}

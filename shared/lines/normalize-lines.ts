import { createLineHandler } from './line-handler.js';
import {
  resolveLineOptions,
  type NormalizeLinesOptions,
  type ResolvedLineOptions,
} from './line-options.js';
import { LineSplitter } from './line-splitter.js';
import { emptyLineStats, type LineStats } from './line-stats.js';
import { OutputBatcher } from './output-batcher.js';

/** The normalised output of one source and the counts that describe it. */
export interface NormalizedLines {
  /** `\n`-terminated NDJSON in large Buffers; read it once. */
  output: AsyncGenerator<Buffer, void, undefined>;
  /** Updated as `output` is read; final once `output` has finished without error. */
  stats: Readonly<LineStats>;
}

/**
 * Turns a decompressed byte stream, cut into chunks anywhere, into clean NDJSON: every non-blank
 * line byte for byte as in the source and `\n`-terminated (CRLF becomes LF, a missing final
 * newline is added, blank lines are left out), invalid JSON quarantined or passed on, and the
 * optional transform applied. Fails with LINES.TOO_LONG when a line exceeds `maxLineBytes`.
 */
export function normalizeLines(
  source: AsyncIterable<Buffer>,
  options: NormalizeLinesOptions = {},
): NormalizedLines {
  const stats = emptyLineStats();
  return { output: run(source, resolveLineOptions(options), stats), stats };
}

async function* run(
  source: AsyncIterable<Buffer>,
  options: ResolvedLineOptions,
  stats: LineStats,
): AsyncGenerator<Buffer, void, undefined> {
  const batcher = new OutputBatcher(options.batchBytes);
  const splitter = new LineSplitter(
    options.maxLineBytes,
    createLineHandler(options, stats, batcher),
  );
  for await (const chunk of source) {
    splitter.push(chunk);
    yield* batcher.take();
  }
  splitter.end();
  batcher.flush();
  yield* batcher.take();
}

import { BETFAIR_TIERS } from '../../betfair/vocabulary.js';
import { chunkLineBatches } from './chunk-lines.js';
import type { MarketsSource } from './markets.js';
import {
  startProduct,
  type TextFormat,
  type ProductName,
  type ProductOptions,
} from './products.js';
import { replayLineBatchesAsync, type MalformedLine } from './replay.js';

/** One market file's product rows as text (no header), and what its replay counted. */
export interface ParsedFile {
  products: Map<ProductName, { text: string; rows: number }>;
  markets: number;
  updates: number;
  /** Lines that are not market data the engine can use (not JSON, no op, …). */
  malformedLines: number;
}

/** What parsing one file needs besides its decompressed bytes. */
export interface ParseFileTask {
  products: readonly ProductName[];
  format: TextFormat;
  options: Omit<ProductOptions, 'source'>;
  source: MarketsSource;
  /** Called with each line the engine refuses, for the caller's quarantine. */
  onMalformed?: (line: MalformedLine) => void;
}

/**
 * Replays one market file's decompressed bytes and returns each product's rows, in the order
 * the products were asked for. Rejects when the bytes cannot be read whole (bad bzip2, …); the
 * caller decides what a failure means. `chimera parse` and the pipeline's parse both use it.
 */
export async function parseMarketFile(
  decoded: AsyncIterable<Uint8Array>,
  task: ParseFileTask,
): Promise<ParsedFile> {
  const runs = task.products.map((name) =>
    startProduct(name, { ...task.options, source: task.source }),
  );
  let malformed = 0;
  const replay = await replayLineBatchesAsync(chunkLineBatches(decoded), {
    observers: runs.map((p) => p.observer),
    onMalformed: (line) => {
      malformed++;
      task.onMalformed?.(line);
    },
  });
  const products = new Map<ProductName, { text: string; rows: number }>();
  for (const run of runs) {
    const text = run.takeText(task.format);
    products.set(run.name, { text, rows: countLines(text) });
  }
  return {
    products,
    markets: replay.markets.length,
    updates: replay.counts.updates,
    malformedLines: malformed,
  };
}

/** The tier folder in a historic-layout name (BASIC, ADVANCED, PRO), or null. */
export function tierOf(name: string): string | null {
  const tiers: readonly string[] = BETFAIR_TIERS;
  return name.split('/').find((segment) => tiers.includes(segment)) ?? null;
}

function countLines(text: string): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

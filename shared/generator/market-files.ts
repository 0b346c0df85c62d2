import { bzip2Compress } from './bzip2.js';
import { historicObjectName } from './layout.js';
import { MALFORMED_BUILDERS } from './malformed.js';
import type { DefectKind, ManifestEntry } from './manifest.js';
import { marketStream } from './market-stream.js';
import type { GenerateOptions } from './options.js';
import type { MarketPlan } from './race-plan.js';
import { createRng, deriveSeed } from './rng.js';

/** A file ready to store. */
export interface MarketFile {
  entry: ManifestEntry;
  stored: Buffer;
}

/** The lines of one market, from its own seed so markets do not depend on each other. */
export function marketLines(market: MarketPlan, options: GenerateOptions): string[] {
  const rng = createRng(deriveSeed(options.seed, `market:${market.marketId}`));
  return marketStream(
    { market, tier: options.tier, updates: options.updates, preOffMinutes: options.preOffMinutes },
    rng,
  );
}

/** A well-formed market file: NDJSON ending in a newline, one bzip2 stream. */
export async function buildMarketFile(
  market: MarketPlan,
  options: GenerateOptions,
): Promise<MarketFile> {
  const lines = marketLines(market, options);
  const content = Buffer.from(lines.map((line) => `${line}\n`).join(''));
  const stored = await bzip2Compress(content);
  return {
    stored,
    entry: {
      ...describe(market, lines, options),
      bytes: content.length,
      storedBytes: stored.length,
    },
  };
}

/** A market file broken in one way (see MALFORMED_BUILDERS). */
export async function buildMalformedFile(
  market: MarketPlan,
  kind: DefectKind,
  options: GenerateOptions,
): Promise<MarketFile> {
  const lines = marketLines(market, options);
  const file = await MALFORMED_BUILDERS[kind](lines);
  const entry: ManifestEntry = {
    ...describe(market, lines, options),
    lines: file.lines,
    bytes: file.content.length,
    storedBytes: file.stored.length,
    defect: file.defect,
  };
  return { stored: file.stored, entry };
}

function describe(market: MarketPlan, lines: string[], options: GenerateOptions) {
  const firstPt =
    (JSON.parse(lines[0] ?? '{}') as { pt?: number }).pt ?? market.marketTime.getTime();
  const key = { tier: options.tier, firstPt, eventId: market.eventId, marketId: market.marketId };
  return {
    objectName: historicObjectName(key, options.prefix),
    marketId: market.marketId,
    eventId: market.eventId,
    lines: lines.length,
  };
}

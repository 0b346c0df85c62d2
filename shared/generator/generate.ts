import { Readable } from 'node:stream';
import pLimit from 'p-limit';
import type { ObjectStore } from '../storage/object-store.js';
import { DEFECT_KINDS, type GeneratedManifest, type ManifestEntry } from './manifest.js';
import { buildMalformedFile, buildMarketFile, type MarketFile } from './market-files.js';
import { resolveOptions, type GenerateOptions, type GenerateOptionsInput } from './options.js';
import type { MarketPlan } from './race-plan.js';
import { planMarkets } from './schedule.js';

/**
 * Writes realistic Betfair historical files (one bzip2 NDJSON file per market, in the vendor's
 * `PRO/2022/Apr/19/<eventId>/<marketId>.bz2` layout) into `bucket`, creating the bucket if
 * needed. The same seed and options always write the same bytes. Returns what was written.
 */
export async function generateSampleData(
  store: ObjectStore,
  bucket: string,
  input: GenerateOptionsInput = {},
): Promise<GeneratedManifest> {
  const options = resolveOptions(input);
  if (!(await store.bucketExists(bucket))) await store.createBucket(bucket);
  const limit = pLimit(options.concurrency);
  const files = await Promise.all(
    buildPlan(options).map((build) =>
      limit(async (): Promise<ManifestEntry> => {
        const file = await build();
        await store.write(bucket, file.entry.objectName, Readable.from([file.stored]), {
          contentType: 'application/x-bzip2',
        });
        return file.entry;
      }),
    ),
  );
  return { bucket, mode: options.mode, seed: options.seed, tier: options.tier, files };
}

/** One builder per file the mode asks for, in manifest order. */
export function buildPlan(options: GenerateOptions): (() => Promise<MarketFile>)[] {
  if (options.mode === 'malformed') {
    const markets = planMarkets({ ...options, days: 1, meetings: 2, racesPerMeeting: 4 });
    return DEFECT_KINDS.map(
      (kind, i) => () => buildMalformedFile(market(markets, i), kind, options),
    );
  }
  const markets =
    options.mode === 'high-volume' ? highVolumeMarkets(options) : planMarkets(options);
  return markets.map((m) => () => buildMarketFile(m, options));
}

/** Exactly `files` markets: whole days of `meetings` meetings until there are enough. */
function highVolumeMarkets(options: GenerateOptions): MarketPlan[] {
  const wanted = options.files ?? 1;
  const perDay = options.meetings * options.racesPerMeeting * 2;
  // Races per meeting vary by one either way, so plan a day more than the average needs.
  const days = Math.ceil(wanted / Math.max(1, perDay - options.meetings * 2)) + 1;
  return planMarkets({ ...options, days }).slice(0, wanted);
}

function market(markets: MarketPlan[], index: number): MarketPlan {
  const found = markets[index];
  if (!found) throw new RangeError(`the malformed plan has no market ${index}`);
  return found;
}

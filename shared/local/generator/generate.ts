import pLimit from 'p-limit';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { ObjectStore } from '../../platform/ports/object-store.js';
import {
  buildMalformedFile,
  buildMarketFile,
  DEFECT_KINDS,
  type Defect,
  type MarketFile,
} from './files.js';
import { monthName, parseDay, VENUES, type MarketPlan, planMarkets } from './markets.js';
import { type GeneratedTier, GENERATED_TIERS } from './stream.js';

/** Where a market's file goes in the vendor's layout. */
export interface HistoricFileKey {
  tier: GeneratedTier;
  /** Publish time of the file's first message (its day names the folder, in UTC). */
  firstPt: number;
  eventId: string;
  marketId: string;
}

/**
 * The vendor's object name, `PRO/2022/Apr/19/<eventId>/<marketId>.bz2`: month as `Jan`…`Dec`
 * and day without a leading zero, after an optional prefix.
 */
export function historicObjectName(key: HistoricFileKey, prefix = ''): string {
  const day = new Date(key.firstPt);
  const date = `${day.getUTCFullYear()}/${monthName(day.getUTCMonth())}/${day.getUTCDate()}`;
  return `${prefix}${key.tier}/${date}/${key.eventId}/${key.marketId}.bz2`;
}

/** One generated object. */
export interface ManifestEntry {
  objectName: string;
  marketId: string;
  eventId: string;
  /** Lines of the decompressed content (a last line without a newline counts). */
  lines: number;
  /** Length of the decompressed content; for a damaged file, of the content before damage. */
  bytes: number;
  /** Length of the object as stored. */
  storedBytes: number;
  defect?: Defect;
}

/** Everything `generateSampleData` wrote. */
export interface GeneratedManifest {
  bucket: string;
  mode: GeneratorMode;
  seed: number;
  tier: GeneratedTier;
  files: ManifestEntry[];
}

/** What kind of sample data to generate. */
export const GENERATOR_MODES = ['normal', 'high-volume', 'malformed'] as const;
export type GeneratorMode = (typeof GENERATOR_MODES)[number];

/** High volume as many small files or as a few very large ones. */
export const HIGH_VOLUME_SHAPES = ['many-small', 'few-large'] as const;
export type HighVolumeShape = (typeof HIGH_VOLUME_SHAPES)[number];

const day = z.string().refine((value) => {
  try {
    parseDay(value);
    return true;
  } catch {
    return false;
  }
}, 'must be a date as YYYY-MM-DD');

/** Options as a caller may give them; everything has a default. */
export const generateOptionsSchema = z.object({
  mode: z.enum(GENERATOR_MODES).default('normal'),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  /** Put before every object name, e.g. `samples/` (the vendor layout follows it). */
  prefix: z.string().default(''),
  tier: z.enum(GENERATED_TIERS).default('PRO'),
  /** First race day (UTC), YYYY-MM-DD. */
  date: day.default('2022-04-19'),
  days: z.number().int().min(1).max(366).default(1),
  /** Meetings a day. */
  meetings: z.number().int().min(1).max(VENUES.length).default(4),
  racesPerMeeting: z.number().int().min(1).max(12).default(7),
  /** Price updates per market (roughly the number of lines); defaults depend on the mode. */
  updates: z.number().int().min(1).max(1_000_000).optional(),
  preOffMinutes: z.number().int().min(1).max(600).default(120),
  shape: z.enum(HIGH_VOLUME_SHAPES).default('many-small'),
  /** Markets to write in high-volume mode; defaults: 1000 small or 3 large (~27 MB NDJSON each). */
  files: z.number().int().min(1).max(100_000).optional(),
  /** bzip2 processes run at once. */
  concurrency: z.number().int().min(1).max(64).default(4),
});

export type GenerateOptionsInput = z.input<typeof generateOptionsSchema>;

/** Options with every default filled in for the chosen mode. */
export type GenerateOptions = Omit<z.output<typeof generateOptionsSchema>, 'updates' | 'files'> & {
  updates: number;
  files?: number;
};

/** Validates options (throws a zod error on bad input) and fills mode-dependent defaults. */
export function resolveOptions(input: GenerateOptionsInput = {}): GenerateOptions {
  const parsed = generateOptionsSchema.parse(input);
  if (parsed.mode === 'high-volume') {
    const large = parsed.shape === 'few-large';
    return {
      ...parsed,
      files: parsed.files ?? (large ? 3 : 1000),
      updates: parsed.updates ?? (large ? 60_000 : 20),
    };
  }
  if (parsed.mode === 'malformed') return { ...parsed, updates: parsed.updates ?? 30 };
  return { ...parsed, updates: parsed.updates ?? 300 };
}

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

/** One generated object: the bytes to store and the manifest's entry for them. */
export interface GeneratedFile {
  entry: ManifestEntry;
  stored: Buffer;
}

/** One builder per file the mode asks for, in manifest order. */
export function buildPlan(options: GenerateOptions): (() => Promise<GeneratedFile>)[] {
  if (options.mode === 'malformed') {
    const markets = planMarkets({ ...options, days: 1, meetings: 2, racesPerMeeting: 4 });
    return DEFECT_KINDS.map((kind, i) => async () => {
      const m = market(markets, i);
      return generated(m, await buildMalformedFile(m, kind, options), options);
    });
  }
  const markets =
    options.mode === 'high-volume' ? highVolumeMarkets(options) : planMarkets(options);
  return markets.map((m) => async () => generated(m, await buildMarketFile(m, options), options));
}

/** A built file with its manifest entry, named in the vendor's layout. */
function generated(market: MarketPlan, file: MarketFile, options: GenerateOptions): GeneratedFile {
  const { marketId, eventId } = market;
  const key = { tier: options.tier, firstPt: file.firstPt, eventId, marketId };
  const entry: ManifestEntry = {
    objectName: historicObjectName(key, options.prefix),
    marketId,
    eventId,
    lines: file.lines,
    bytes: file.bytes,
    storedBytes: file.stored.length,
    ...(file.defect && { defect: file.defect }),
  };
  return { entry, stored: file.stored };
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

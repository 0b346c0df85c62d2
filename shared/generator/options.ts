import { z } from 'zod';
import { TIERS } from './market-definition.js';
import { parseDay } from './schedule.js';
import { VENUES } from './names.js';

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
  tier: z.enum(TIERS).default('PRO'),
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

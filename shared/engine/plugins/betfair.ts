import {
  BETFAIR_MONTHS,
  BETFAIR_TIERS,
  type BetfairMonth,
  type BetfairTier,
} from '../../betfair/vocabulary.js';
import {
  invalidDataset,
  normalizeRelativePath,
  definePlugin,
  type Decoder,
  type SourcePlugin,
} from './plugins.js';

/** A Betfair dataset folder: `PRO/2022`, `PRO/2022/Apr` or `PRO/2022/Apr/19`. */
export interface BetfairDataset {
  tier: BetfairTier;
  year: number;
  month?: BetfairMonth;
  day?: number;
}

const EXPECTED = 'TIER/YEAR[/Mon[/day]] such as "ADVANCED/2016" or "PRO/2022/Apr/19"';

/** Reads a dataset path; throws PLUGIN.INVALID_DATASET (or PLUGIN.INVALID_PATH) otherwise. */
export function parseBetfairDataset(path: string): BetfairDataset {
  const [tier, year, month, day, ...rest] = normalizeRelativePath(path).split('/');
  const fail = (): never => {
    throw invalidDataset(path, EXPECTED);
  };
  if (!isOneOf(BETFAIR_TIERS, tier) || year === undefined || !/^20\d\d$/.test(year)) fail();
  const dataset: BetfairDataset = { tier: tier as BetfairTier, year: Number(year) };
  if (month === undefined) return dataset;
  if (!isOneOf(BETFAIR_MONTHS, month) || rest.length > 0) fail();
  dataset.month = month as BetfairMonth;
  if (day === undefined) return dataset;
  if (!/^[1-9]\d?$/.test(day) || Number(day) > daysIn(dataset.year, dataset.month)) fail();
  return { ...dataset, day: Number(day) };
}

/** The canonical path of a dataset, as the folders are named. */
export function formatBetfairDataset(dataset: BetfairDataset): string {
  return [dataset.tier, dataset.year, dataset.month, dataset.day]
    .filter((part) => part !== undefined)
    .join('/');
}

function isOneOf(values: readonly string[], value: string | undefined): boolean {
  return value !== undefined && values.includes(value);
}

function daysIn(year: number, month: BetfairMonth): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, BETFAIR_MONTHS.indexOf(month) + 1, 0)).getUTCDate();
}

export interface BetfairPluginDeps {
  /** The project's bz2 decoder; injected so this module does not depend on one implementation. */
  decode: Decoder;
  enabled?: boolean;
}

/** Betfair historical exchange data (BASIC, ADVANCED, PRO): one bz2 NDJSON file per market. */
export function createBetfairPlugin({ decode, enabled = true }: BetfairPluginDeps): SourcePlugin {
  return definePlugin({
    id: 'betfair',
    name: 'Betfair Historical Data',
    description:
      'Betfair Exchange historical stream files (BASIC, ADVANCED, PRO): bzip2-compressed ' +
      'NDJSON, one file per market, laid out as TIER/YEAR/Mon/day/eventId/marketId.bz2',
    extensions: ['.bz2'],
    compression: 'bz2',
    enabled,
    decoder: decode,
    validateDataset: (dataset) => void parseBetfairDataset(dataset),
  });
}

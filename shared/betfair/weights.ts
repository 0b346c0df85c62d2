import { BetfairError } from './errors.js';
import {
  MAX_CATALOGUE_RESULTS,
  MAX_MARKET_IDS_PER_REQUEST,
  type PriceProjection,
} from './protocol.js';
import type { MarketProjection, PriceData } from './vocabulary.js';

/** Most points one market data request may cost: sum(weight) × markets. */
export const MAX_REQUEST_POINTS = 200;

/** listMarketCatalogue weight of each projection; the rest weigh nothing. */
const CATALOGUE_WEIGHTS: Readonly<Partial<Record<MarketProjection, number>>> = {
  MARKET_DESCRIPTION: 1,
  RUNNER_METADATA: 1,
};

/** listMarketBook weight of each priceData value on its own. */
const PRICE_DATA_WEIGHTS: Readonly<Record<PriceData, number>> = {
  SP_AVAILABLE: 3,
  SP_TRADED: 7,
  EX_BEST_OFFERS: 5,
  EX_ALL_OFFERS: 17,
  EX_TRADED: 17,
};

/** Combinations Betfair weighs as one, replacing the sum of their parts. */
const PRICE_DATA_COMBINATIONS: readonly { parts: readonly PriceData[]; weight: number }[] = [
  { parts: ['EX_ALL_OFFERS', 'EX_TRADED'], weight: 32 },
  { parts: ['EX_BEST_OFFERS', 'EX_TRADED'], weight: 20 },
];

/** Weight of a listMarketBook request without price data. */
const NO_PRICE_DATA_WEIGHT = 2;

/** Points one market costs in listMarketCatalogue with these projections. */
export function catalogueWeight(projections: readonly MarketProjection[] = []): number {
  return unique(projections).reduce((sum, name) => sum + (CATALOGUE_WEIGHTS[name] ?? 0), 0);
}

/** How many markets one listMarketCatalogue call may return with these projections. */
export function cataloguePerRequest(projections: readonly MarketProjection[] = []): number {
  const weight = catalogueWeight(projections);
  if (weight === 0) return MAX_CATALOGUE_RESULTS;
  return Math.min(MAX_CATALOGUE_RESULTS, perRequest(weight));
}

/**
 * Points one market costs in listMarketBook with this priceProjection. EX_TRADED pairs with
 * one offers projection at its combined weight (EX_ALL_OFFERS first, the dearer pairing); what
 * is left adds up. Counting EX_BEST_OFFERS even beside EX_ALL_OFFERS overstates the cost
 * slightly, which only ever makes batches smaller.
 */
export function bookWeight(priceProjection?: PriceProjection): number {
  const remaining = new Set(priceProjection?.priceData ?? []);
  if (remaining.size === 0) return NO_PRICE_DATA_WEIGHT;
  let weight = 0;
  for (const { parts, weight: combined } of PRICE_DATA_COMBINATIONS) {
    if (!parts.every((part) => remaining.has(part))) continue;
    parts.forEach((part) => remaining.delete(part));
    weight += scaleForDepth(parts, combined, priceProjection);
  }
  for (const name of remaining) {
    weight += scaleForDepth([name], priceDataWeight(name), priceProjection);
  }
  return weight;
}

function priceDataWeight(name: PriceData): number {
  const weight = PRICE_DATA_WEIGHTS[name] as number | undefined;
  if (weight === undefined) {
    throw new BetfairError('BETFAIR.BAD_REQUEST', 'invalid', `Unknown priceData ${String(name)}`);
  }
  return weight;
}

/**
 * Betfair weighs a deeper best-offers ladder as weight × (depth / 3). A shallower ladder is
 * not discounted here: the saving is small and an overestimate can never cause TOO_MUCH_DATA.
 */
function scaleForDepth(
  parts: readonly PriceData[],
  weight: number,
  priceProjection?: PriceProjection,
): number {
  const depth = priceProjection?.exBestOffersOverrides?.bestPricesDepth;
  if (!parts.includes('EX_BEST_OFFERS') || depth === undefined || depth <= 3) return weight;
  return (weight * depth) / 3;
}

/** How many markets one listMarketBook call may carry: min(250, floor(200 / weight)). */
export function booksPerRequest(priceProjection?: PriceProjection): number {
  return Math.min(MAX_MARKET_IDS_PER_REQUEST, perRequest(bookWeight(priceProjection)));
}

/** Splits marketIds, in order, into listMarketBook batches that each stay within the limits. */
export function planBookBatches(
  marketIds: readonly string[],
  priceProjection?: PriceProjection,
): string[][] {
  return chunk(marketIds, booksPerRequest(priceProjection));
}

/** Splits a list, in order, into pieces of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const pieces: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    pieces.push(items.slice(start, start + size));
  }
  return pieces;
}

function perRequest(weight: number): number {
  const count = Math.floor(MAX_REQUEST_POINTS / weight);
  if (count < 1) {
    // No batch can carry this projection, so it is the request that must change.
    throw new BetfairError(
      'BETFAIR.BAD_REQUEST',
      'invalid',
      `One market already weighs ${weight} points, over the ${MAX_REQUEST_POINTS}-point request limit`,
    );
  }
  return count;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** Puts markets in the order of `marketIds`, dropping ids Betfair did not return. */
export function inMarketIdOrder<T extends { marketId: string }>(
  marketIds: readonly string[],
  markets: readonly T[],
): T[] {
  const byId = new Map(markets.map((market) => [market.marketId, market]));
  return marketIds.flatMap((marketId) => {
    const market = byId.get(marketId);
    return market === undefined ? [] : [market];
  });
}

/** The ids once each, first occurrence first. */
export function uniqueMarketIds(marketIds: readonly string[]): string[] {
  return [...new Set(marketIds)];
}

import type { MarketProjection, PriceData } from '../model/projection.js';

/** Betfair's ceiling on sum(weight) × number of markets for one market-data request. */
export const MAX_WEIGHT = 200;
/** Most marketIds one listMarketBook may name. */
export const MAX_MARKET_IDS = 250;
/** Most markets listMarketCatalogue may return. */
export const MAX_RESULTS = 1000;

const CATALOGUE_WEIGHTS: Partial<Record<MarketProjection, number>> = {
  MARKET_DESCRIPTION: 1,
  RUNNER_METADATA: 1,
};

const BOOK_WEIGHTS: Record<PriceData, number> = {
  SP_AVAILABLE: 3,
  SP_TRADED: 7,
  EX_BEST_OFFERS: 5,
  EX_ALL_OFFERS: 17,
  EX_TRADED: 17,
};

/** Weight of one market of a listMarketCatalogue answer with these projections. */
export function catalogueWeight(projections: Iterable<MarketProjection>): number {
  let weight = 0;
  for (const projection of new Set(projections)) weight += CATALOGUE_WEIGHTS[projection] ?? 0;
  return weight;
}

/**
 * Weight of one market of a listMarketBook answer with this price data. No price data weighs 2;
 * EX_ALL_OFFERS overrides EX_BEST_OFFERS, and either one with EX_TRADED is priced as a pair
 * (20 or 32) instead of the sum of its parts.
 */
export function bookWeight(priceData: Iterable<PriceData>): number {
  const wanted = new Set(priceData);
  if (wanted.size === 0) return 2;
  if (wanted.has('EX_ALL_OFFERS')) wanted.delete('EX_BEST_OFFERS');
  let weight = 0;
  if (wanted.has('EX_TRADED') && (wanted.has('EX_ALL_OFFERS') || wanted.has('EX_BEST_OFFERS'))) {
    weight += wanted.has('EX_ALL_OFFERS') ? 32 : 20;
    for (const part of ['EX_TRADED', 'EX_ALL_OFFERS', 'EX_BEST_OFFERS'] as const)
      wanted.delete(part);
  }
  for (const data of wanted) weight += BOOK_WEIGHTS[data];
  return weight;
}

/** The weight a request asks for: per-market weight times the number of markets. */
export function requestWeight(perMarket: number, markets: number): number {
  return perMarket * markets;
}

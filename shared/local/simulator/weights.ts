import type { MarketProjection, PriceData } from '../../betfair/vocabulary.js';

// Kept apart from the client's planner (shared/betfair/weights.ts) on purpose; a test cross-checks them.

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
 * EX_BEST_OFFERS or EX_ALL_OFFERS together with EX_TRADED is priced as a pair (20 or 32) instead
 * of the sum of its parts; anything else adds up. EX_BEST_OFFERS deeper than 3 levels costs
 * weight × depth / 3. Where Betfair's rules leave room (EX_BEST_OFFERS beside EX_ALL_OFFERS, a
 * shallower depth) the simulator charges the higher figure, so it never lets through a request
 * the real exchange might refuse.
 */
export function bookWeight(priceData: Iterable<PriceData>, bestPricesDepth = 3): number {
  const wanted = new Set(priceData);
  if (wanted.size === 0) return 2;
  let weight = 0;
  for (const offers of ['EX_ALL_OFFERS', 'EX_BEST_OFFERS'] as const) {
    if (!wanted.has(offers) || !wanted.has('EX_TRADED')) continue;
    weight += depthScaled(offers, offers === 'EX_ALL_OFFERS' ? 32 : 20, bestPricesDepth);
    wanted.delete(offers);
    wanted.delete('EX_TRADED');
  }
  for (const data of wanted) weight += depthScaled(data, BOOK_WEIGHTS[data], bestPricesDepth);
  return weight;
}

function depthScaled(data: PriceData, weight: number, depth: number): number {
  return data === 'EX_BEST_OFFERS' && depth > 3 ? (weight * depth) / 3 : weight;
}

/** The weight a request asks for: per-market weight times the number of markets. */
export function requestWeight(perMarket: number, markets: number): number {
  return perMarket * markets;
}

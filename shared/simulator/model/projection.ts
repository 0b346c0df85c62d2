import type { PriceData } from '../../betfair/projections.js';

/** What a listMarketBook call asked to see. */
export interface BookProjection {
  priceData: ReadonlySet<PriceData>;
  /** Levels a side for EX_BEST_OFFERS (Betfair's default is 3). */
  bestPricesDepth: number;
}

/** How many ladder levels a side the projection shows: 0 when it asks for no offers. */
export function offerDepth(projection: BookProjection, fullDepth: number): number {
  if (projection.priceData.has('EX_ALL_OFFERS')) return fullDepth;
  if (projection.priceData.has('EX_BEST_OFFERS')) return projection.bestPricesDepth;
  return 0;
}

/** True when the projection asks for any of the exchange (EX_*) data. */
export function wantsExchange(projection: BookProjection): boolean {
  const { priceData } = projection;
  return (
    priceData.has('EX_ALL_OFFERS') || priceData.has('EX_BEST_OFFERS') || priceData.has('EX_TRADED')
  );
}

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

import { describe, expect, it } from 'vitest';
import type { MarketBook, MarketCatalogue } from '../../shared/betfair/market-schemas.js';
import {
  type BookProjection,
  projectBook,
  projectCatalogue,
} from '../../shared/betfair/projections.js';
import type { PriceData } from '../../shared/betfair/vocabulary.js';
import { describeWithSamples, readApiSample } from '../support/sample-data.js';

const projection = (priceData: PriceData[], bestPricesDepth = 3): BookProjection => ({
  priceData: new Set(priceData),
  bestPricesDepth,
});

describeWithSamples('projections of a real Betfair listMarketBook answer', () => {
  const [book] = (readApiSample('list_market_book.json') as { result: MarketBook[] }).result;
  const full = book!;

  it('keeps best offers to the depth asked, no traded ladder and no sp', () => {
    const projected = projectBook(full, projection(['EX_BEST_OFFERS'], 2));
    projected.runners.forEach((runner, index) => {
      const source = full.runners[index]!;
      expect(runner.ex).toEqual({
        availableToBack: source.ex!.availableToBack!.slice(0, 2),
        availableToLay: source.ex!.availableToLay!.slice(0, 2),
        tradedVolume: [],
      });
      expect(runner).not.toHaveProperty('sp');
      expect(runner.lastPriceTraded).toBe(source.lastPriceTraded);
    });
  });

  it('keeps whole ladders under EX_ALL_OFFERS, and the traded ladder under EX_TRADED', () => {
    const projected = projectBook(full, projection(['EX_ALL_OFFERS', 'EX_TRADED'], 1));
    expect(projected.runners.map((runner) => runner.ex)).toEqual(
      full.runners.map((runner) => runner.ex),
    );
  });

  it('keeps each SP field with the price data that brings it', () => {
    const available = projectBook(full, projection(['SP_AVAILABLE']));
    const traded = projectBook(full, projection(['SP_TRADED']));
    full.runners.forEach((runner, index) => {
      const { backStakeTaken, layLiabilityTaken, actualSP } = runner.sp!;
      expect(available.runners[index]!.sp).toEqual({ backStakeTaken, layLiabilityTaken });
      expect(traded.runners[index]!.sp).toEqual({ actualSP });
      expect(available.runners[index]).not.toHaveProperty('ex');
    });
  });

  it('changes nothing else: market fields, orders and matches, key order', () => {
    const projected = projectBook(full, projection([]));
    expect(Object.keys(projected)).toEqual(Object.keys(full));
    for (const key of Object.keys(full).filter((name) => name !== 'runners')) {
      expect(projected[key], key).toEqual(full[key]);
    }
    const withOrders = full.runners.findIndex((runner) => 'orders' in runner);
    expect(projected.runners[withOrders]).toHaveProperty(
      'orders',
      full.runners[withOrders]!.orders,
    );
    expect(
      Object.keys(projectBook(full, projection(['SP_TRADED', 'EX_TRADED'])).runners[0]!),
    ).toEqual(Object.keys(full.runners[0]!));
  });
});

describeWithSamples('projections of a real Betfair listMarketCatalogue answer', () => {
  const markets = (readApiSample('list_market_catalogue.json') as { result: MarketCatalogue[] })
    .result;

  it('keeps marketId, marketName and totalMatched, and only the projections asked for', () => {
    for (const market of markets) {
      const bare = projectCatalogue(market, new Set());
      expect(
        Object.keys(bare).every((key) => ['marketId', 'marketName', 'totalMatched'].includes(key)),
      ).toBe(true);
      const events = projectCatalogue(market, new Set(['EVENT', 'MARKET_START_TIME']));
      expect(events.event).toEqual(market.event);
      expect(events.marketStartTime).toBe(market.marketStartTime);
      expect(events).not.toHaveProperty('description');
      expect(events).not.toHaveProperty('runners');
    }
  });

  it('gives runners without metadata under RUNNER_DESCRIPTION alone', () => {
    const market = markets.find((m) => m.runners?.some((runner) => runner.metadata))!;
    expect(market).toBeDefined();
    const described = projectCatalogue(market, new Set(['RUNNER_DESCRIPTION']));
    expect(described.runners?.some((runner) => 'metadata' in runner)).toBe(false);
    expect(described.runners?.map((runner) => runner.selectionId)).toEqual(
      market.runners?.map((runner) => runner.selectionId),
    );
    const withMetadata = projectCatalogue(market, new Set(['RUNNER_METADATA']));
    expect(withMetadata.runners).toEqual(market.runners);
  });
});

describe('projections of a book without exchange prices', () => {
  it('gives empty ladders when EX data is asked of a runner that has none', () => {
    const book = {
      marketId: '1.1',
      runners: [{ selectionId: 1, handicap: 0, status: 'ACTIVE' }],
    } as unknown as MarketBook;
    expect(projectBook(book, projection(['EX_BEST_OFFERS'])).runners[0]!.ex).toEqual({
      availableToBack: [],
      availableToLay: [],
      tradedVolume: [],
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  MARKET_PROJECTIONS,
  PRICE_DATA,
  type MarketProjection,
  type PriceData,
} from '../../shared/betfair/vocabulary.js';
import {
  bookWeight,
  booksPerRequest,
  cataloguePerRequest,
  catalogueWeight,
  planBookBatches,
} from '../../shared/betfair/weights.js';
import { hasCode } from '../../shared/platform/errors.js';

const ALL_FIVE: PriceData[] = [...PRICE_DATA];
/** Every projection there is, as the recorder's seed asks for. */
const SEED_CATALOGUE: MarketProjection[] = [...MARKET_PROJECTIONS];

describe('catalogue weights', () => {
  it.each<[MarketProjection[], number, number]>([
    [[], 0, 1000],
    [['EVENT', 'EVENT_TYPE', 'COMPETITION', 'MARKET_START_TIME', 'RUNNER_DESCRIPTION'], 0, 1000],
    [['MARKET_DESCRIPTION'], 1, 200],
    [['RUNNER_METADATA'], 1, 200],
    [['MARKET_DESCRIPTION', 'RUNNER_METADATA'], 2, 100],
    [['MARKET_DESCRIPTION', 'MARKET_DESCRIPTION'], 1, 200],
    // The predecessor asked for 1000 markets with these: ten times the limit.
    [SEED_CATALOGUE, 2, 100],
  ])('%j weighs %i, %i markets a call', (projections, weight, perCall) => {
    expect(catalogueWeight(projections)).toBe(weight);
    expect(cataloguePerRequest(projections)).toBe(perCall);
  });
});

describe('book weights', () => {
  it.each<[PriceData[] | undefined, number, number]>([
    [undefined, 2, 100],
    [[], 2, 100],
    [['SP_AVAILABLE'], 3, 66],
    [['SP_TRADED'], 7, 28],
    [['EX_BEST_OFFERS'], 5, 40],
    [['EX_ALL_OFFERS'], 17, 11],
    [['EX_TRADED'], 17, 11],
    [['EX_BEST_OFFERS', 'EX_TRADED'], 20, 10],
    [['EX_ALL_OFFERS', 'EX_TRADED'], 32, 6],
    [['EX_BEST_OFFERS', 'SP_TRADED'], 12, 16],
    [['EX_BEST_OFFERS', 'EX_TRADED', 'SP_TRADED'], 27, 7],
    [['SP_AVAILABLE', 'SP_TRADED'], 10, 20],
    // Both offers projections are charged, the dearer reading of Betfair's table.
    [['EX_ALL_OFFERS', 'EX_BEST_OFFERS'], 22, 9],
    // The predecessor's default: 32 + 5 + 3 + 7 = 47, so 4 markets a call, not its 6.
    [ALL_FIVE, 47, 4],
  ])('%j weighs %i, %i markets a call', (priceData, weight, perCall) => {
    const projection = priceData === undefined ? undefined : { priceData };
    expect(bookWeight(projection)).toBe(weight);
    expect(booksPerRequest(projection)).toBe(perCall);
  });

  it('scales best offers by requested depth over 3', () => {
    const projection = (depth: number, priceData: PriceData[] = ['EX_BEST_OFFERS']) => ({
      priceData,
      exBestOffersOverrides: { bestPricesDepth: depth },
    });
    expect(bookWeight(projection(3))).toBe(5);
    expect(bookWeight(projection(1))).toBe(5);
    expect(bookWeight(projection(6))).toBe(10);
    expect(bookWeight(projection(6, ['EX_BEST_OFFERS', 'EX_TRADED']))).toBe(40);
    expect(bookWeight(projection(9, ['EX_ALL_OFFERS']))).toBe(17);
    expect(booksPerRequest(projection(6, ['EX_BEST_OFFERS', 'EX_TRADED']))).toBe(5);
  });

  it('refuses a projection no single market can fit within 200 points', () => {
    const projection = { priceData: ALL_FIVE, exBestOffersOverrides: { bestPricesDepth: 100 } };
    expect(() => booksPerRequest(projection)).toThrow(/over the 200-point/);
    try {
      booksPerRequest(projection);
    } catch (error) {
      expect(hasCode(error, 'BETFAIR.BAD_REQUEST')).toBe(true);
    }
  });

  it('caps a batch at 250 ids even when the weight would allow more', () => {
    expect(booksPerRequest({ priceData: [] })).toBe(100);
    const ids = Array.from({ length: 1001 }, (_, i) => `1.${i}`);
    expect(planBookBatches(ids).map((batch) => batch.length)).toEqual([
      100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 1,
    ]);
  });

  it('plans batches in order, each within 200 points', () => {
    const ids = Array.from({ length: 10 }, (_, i) => `1.${i}`);
    const batches = planBookBatches(ids, { priceData: ALL_FIVE });
    expect(batches).toEqual([ids.slice(0, 4), ids.slice(4, 8), ids.slice(8)]);
    expect(planBookBatches([], { priceData: ALL_FIVE })).toEqual([]);
  });
});

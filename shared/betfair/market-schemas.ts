import { z } from 'zod';
import { MARKET_STATUSES, RUNNER_STATUSES } from './vocabulary.js';

/**
 * A Betfair `double`: JSON numbers, or the strings Betfair writes for values JSON cannot hold
 * (an unreconciled `actualSP` arrives as "NaN"). Kept as sent, never converted.
 */
export const BetfairDoubleSchema = z.union([
  z.number(),
  z.enum(['NaN', 'Infinity', '-Infinity', 'INF', '-INF']),
]);

/** A price and the amount available or traded at it. */
export const PriceSizeSchema = z.looseObject({ price: BetfairDoubleSchema, size: z.number() });

/** Starting-price data (SP_AVAILABLE / SP_TRADED). */
export const StartingPricesSchema = z.looseObject({
  nearPrice: BetfairDoubleSchema.optional(),
  farPrice: BetfairDoubleSchema.optional(),
  backStakeTaken: z.array(PriceSizeSchema).optional(),
  layLiabilityTaken: z.array(PriceSizeSchema).optional(),
  actualSP: BetfairDoubleSchema.optional(),
});

/** Exchange prices (EX_BEST_OFFERS / EX_ALL_OFFERS / EX_TRADED). */
export const ExchangePricesSchema = z.looseObject({
  availableToBack: z.array(PriceSizeSchema).optional(),
  availableToLay: z.array(PriceSizeSchema).optional(),
  tradedVolume: z.array(PriceSizeSchema).optional(),
});

/** One runner in a MarketBook; `orders` and `matches` pass through untouched. */
export const RunnerSchema = z.looseObject({
  selectionId: z.number().int(),
  handicap: z.number(),
  status: z.enum(RUNNER_STATUSES),
  adjustmentFactor: BetfairDoubleSchema.optional(),
  lastPriceTraded: BetfairDoubleSchema.optional(),
  totalMatched: z.number().optional(),
  removalDate: z.string().optional(),
  sp: StartingPricesSchema.optional(),
  ex: ExchangePricesSchema.optional(),
});

/** Key line of a line or handicap market. */
export const KeyLineDescriptionSchema = z.looseObject({
  keyLine: z.array(z.looseObject({ selectionId: z.number().int(), handicap: z.number() })),
});

/** One market as listMarketBook returns it. Note Betfair's spelling: `inplay`. */
export const MarketBookSchema = z.looseObject({
  marketId: z.string(),
  isMarketDataDelayed: z.boolean(),
  status: z.enum(MARKET_STATUSES),
  betDelay: z.number().int(),
  bspReconciled: z.boolean(),
  complete: z.boolean(),
  inplay: z.boolean(),
  numberOfWinners: z.number().int(),
  numberOfRunners: z.number().int(),
  numberOfActiveRunners: z.number().int(),
  lastMatchTime: z.string().optional(),
  totalMatched: z.number(),
  totalAvailable: z.number(),
  crossMatching: z.boolean(),
  runnersVoidable: z.boolean(),
  version: z.number().int(),
  runners: z.array(RunnerSchema),
  keyLineDescription: KeyLineDescriptionSchema.optional(),
});
export type MarketBook = z.infer<typeof MarketBookSchema>;
export type Runner = z.infer<typeof RunnerSchema>;
export type PriceSize = z.infer<typeof PriceSizeSchema>;
export type StartingPrices = z.infer<typeof StartingPricesSchema>;
export type ExchangePrices = z.infer<typeof ExchangePricesSchema>;

// Loose objects throughout: fields Betfair adds later pass through unchanged, so the feed can
// serve exactly what Betfair sent.

/** MarketDescription (MARKET_DESCRIPTION projection). */
export const MarketDescriptionSchema = z.looseObject({
  persistenceEnabled: z.boolean(),
  bspMarket: z.boolean(),
  marketTime: z.string(),
  suspendTime: z.string(),
  settleTime: z.string().optional(),
  bettingType: z.string(),
  turnInPlayEnabled: z.boolean(),
  marketType: z.string(),
  regulator: z.string(),
  marketBaseRate: z.number(),
  discountAllowed: z.boolean(),
  wallet: z.string().optional(),
  rules: z.string().optional(),
  rulesHasDate: z.boolean().optional(),
  eachWayDivisor: z.number().optional(),
  clarifications: z.string().optional(),
  lineRangeInfo: z.looseObject({}).optional(),
  raceType: z.string().optional(),
  priceLadderDescription: z.looseObject({ type: z.string() }).optional(),
});

/** RunnerCatalog (RUNNER_DESCRIPTION, with `metadata` under RUNNER_METADATA). */
export const RunnerCatalogSchema = z.looseObject({
  selectionId: z.number().int(),
  runnerName: z.string(),
  handicap: z.number(),
  sortPriority: z.number().int(),
  metadata: z.record(z.string(), z.string().nullable()).optional(),
});

/** EventType (EVENT_TYPE projection); horse racing is HORSE_RACING in vocabulary.ts. */
export const EventTypeSchema = z.looseObject({ id: z.string(), name: z.string() });

/** Competition (COMPETITION projection). */
export const CompetitionSchema = z.looseObject({ id: z.string(), name: z.string() });

/** Event (EVENT projection). */
export const EventSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  countryCode: z.string().optional(),
  timezone: z.string().optional(),
  venue: z.string().optional(),
  openDate: z.string().optional(),
});

/** One market as listMarketCatalogue returns it; which fields exist depends on the projections. */
export const MarketCatalogueSchema = z.looseObject({
  marketId: z.string(),
  marketName: z.string(),
  marketStartTime: z.string().optional(),
  description: MarketDescriptionSchema.optional(),
  totalMatched: z.number().optional(),
  runners: z.array(RunnerCatalogSchema).optional(),
  eventType: EventTypeSchema.optional(),
  competition: CompetitionSchema.optional(),
  event: EventSchema.optional(),
});
export type MarketCatalogue = z.infer<typeof MarketCatalogueSchema>;
export type MarketDescription = z.infer<typeof MarketDescriptionSchema>;
export type RunnerCatalog = z.infer<typeof RunnerCatalogSchema>;
export type EventType = z.infer<typeof EventTypeSchema>;
export type BetfairEvent = z.infer<typeof EventSchema>;

import { z } from 'zod';

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

/** EventType (EVENT_TYPE projection); horse racing is "7". */
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
export type RunnerCatalog = z.infer<typeof RunnerCatalogSchema>;

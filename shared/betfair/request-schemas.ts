import { z } from 'zod';
import {
  MATCH_PROJECTIONS,
  MarketProjectionSchema,
  MarketSortSchema,
  ORDER_PROJECTIONS,
  PriceDataSchema,
} from './projections.js';

const TimeRangeSchema = z.looseObject({ from: z.string().optional(), to: z.string().optional() });

/** MarketFilter: the selection criteria of listMarketCatalogue. */
export const MarketFilterSchema = z.looseObject({
  textQuery: z.string().optional(),
  eventTypeIds: z.array(z.string()).optional(),
  eventIds: z.array(z.string()).optional(),
  competitionIds: z.array(z.string()).optional(),
  marketIds: z.array(z.string()).optional(),
  venues: z.array(z.string()).optional(),
  bspOnly: z.boolean().optional(),
  turnInPlayEnabled: z.boolean().optional(),
  inPlayOnly: z.boolean().optional(),
  marketBettingTypes: z.array(z.string()).optional(),
  marketCountries: z.array(z.string()).optional(),
  marketTypeCodes: z.array(z.string()).optional(),
  marketStartTime: TimeRangeSchema.optional(),
  withOrders: z.array(z.string()).optional(),
  raceTypes: z.array(z.string()).optional(),
});
export type MarketFilter = z.infer<typeof MarketFilterSchema>;

/** PriceProjection: which prices listMarketBook returns. */
export const PriceProjectionSchema = z.looseObject({
  priceData: z.array(PriceDataSchema).optional(),
  exBestOffersOverrides: z
    .looseObject({ bestPricesDepth: z.number().int().positive().optional() })
    .optional(),
  virtualise: z.boolean().optional(),
  rolloverStakes: z.boolean().optional(),
});
export type PriceProjection = z.infer<typeof PriceProjectionSchema>;

/** Params of SportsAPING/v1.0/listMarketCatalogue. */
export const ListMarketCatalogueParamsSchema = z.looseObject({
  filter: MarketFilterSchema,
  marketProjection: z.array(MarketProjectionSchema).optional(),
  sort: MarketSortSchema.optional(),
  // Betfair's own clients send maxResults as a string, so both are accepted.
  maxResults: z.coerce.number().int().min(1).max(1000),
  locale: z.string().optional(),
});
export type ListMarketCatalogueParams = z.infer<typeof ListMarketCatalogueParamsSchema>;

/** Params of SportsAPING/v1.0/listMarketBook. */
export const ListMarketBookParamsSchema = z.looseObject({
  marketIds: z.array(z.string()).min(1).max(250),
  priceProjection: PriceProjectionSchema.optional(),
  orderProjection: z.enum(ORDER_PROJECTIONS).optional(),
  matchProjection: z.enum(MATCH_PROJECTIONS).optional(),
  currencyCode: z.string().optional(),
  locale: z.string().optional(),
});
export type ListMarketBookParams = z.infer<typeof ListMarketBookParamsSchema>;

import { z } from 'zod';
import { MARKET_SORTS } from '../model/market-filter.js';
import { MARKET_PROJECTIONS, PRICE_DATA } from '../model/projection.js';

const isoTime = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'not a date-time');

/** Betfair's MarketFilter; fields the simulator does not model are accepted and ignored. */
export const marketFilterSchema = z.looseObject({
  textQuery: z.string().optional(),
  eventTypeIds: z.array(z.string()).optional(),
  eventIds: z.array(z.string()).optional(),
  marketIds: z.array(z.string()).optional(),
  venues: z.array(z.string()).optional(),
  bspOnly: z.boolean().optional(),
  turnInPlayEnabled: z.boolean().optional(),
  inPlayOnly: z.boolean().optional(),
  marketBettingTypes: z.array(z.string()).optional(),
  marketCountries: z.array(z.string()).optional(),
  marketTypeCodes: z.array(z.string()).optional(),
  marketStartTime: z.object({ from: isoTime.optional(), to: isoTime.optional() }).optional(),
});

/** maxResults arrives as a number or, from many clients, as a numeric string ("200"). */
const maxResults = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);

/** listMarketCatalogue's parameters. */
export const catalogueParamsSchema = z.looseObject({
  filter: marketFilterSchema,
  marketProjection: z.array(z.enum(MARKET_PROJECTIONS)).optional(),
  sort: z.enum(MARKET_SORTS).optional(),
  maxResults,
  locale: z.string().optional(),
});

/** listMarketBook's parameters; order and match projections are accepted and ignored. */
export const bookParamsSchema = z.looseObject({
  marketIds: z.array(z.string()),
  priceProjection: z
    .looseObject({
      priceData: z.array(z.enum(PRICE_DATA)).optional(),
      exBestOffersOverrides: z
        .looseObject({ bestPricesDepth: z.number().int().optional() })
        .optional(),
      virtualise: z.boolean().optional(),
      rolloverStakes: z.boolean().optional(),
    })
    .optional(),
  orderProjection: z.string().optional(),
  matchProjection: z.string().optional(),
  currencyCode: z.string().optional(),
  locale: z.string().optional(),
});

/** listEventTypes' parameters. */
export const eventTypesParamsSchema = z.looseObject({
  filter: marketFilterSchema,
  locale: z.string().optional(),
});

export type CatalogueParams = z.output<typeof catalogueParamsSchema>;
export type BookParams = z.output<typeof bookParamsSchema>;

import { z } from 'zod';
import {
  MarketProjectionSchema,
  MarketSortSchema,
  PriceDataSchema,
} from '../../betfair/projections.js';
import { MarketFilterSchema } from '../../betfair/request-schemas.js';

const isoTime = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'not a date-time');

/**
 * Betfair's MarketFilter; fields the simulator does not model (competitionIds, withOrders,
 * raceTypes and any others) are accepted unchecked and ignored.
 */
export const marketFilterSchema = MarketFilterSchema.omit({
  competitionIds: true,
  withOrders: true,
  raceTypes: true,
}).extend({
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

/**
 * listMarketCatalogue's parameters. Looser than the client's request schemas on purpose: the
 * limits are checked in operations.ts, which answers with Betfair's error codes.
 */
export const catalogueParamsSchema = z.looseObject({
  filter: marketFilterSchema,
  marketProjection: z.array(MarketProjectionSchema).optional(),
  sort: MarketSortSchema.optional(),
  maxResults,
  locale: z.string().optional(),
});

/** listMarketBook's parameters; order and match projections are accepted and ignored. */
export const bookParamsSchema = z.looseObject({
  marketIds: z.array(z.string()),
  priceProjection: z
    .looseObject({
      priceData: z.array(PriceDataSchema).optional(),
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

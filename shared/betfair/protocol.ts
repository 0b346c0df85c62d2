import { z } from 'zod';
import {
  MATCH_PROJECTIONS,
  MarketProjectionSchema,
  MarketSortSchema,
  ORDER_PROJECTIONS,
  PriceDataSchema,
} from './vocabulary.js';

/** APINGException error codes Betfair documents for the betting API, in ANGX order (ANGX-0001 first). */
export const APING_ERROR_CODES = [
  'TOO_MUCH_DATA',
  'INVALID_INPUT_DATA',
  'INVALID_SESSION_INFORMATION',
  'NO_APP_KEY',
  'NO_SESSION',
  'UNEXPECTED_ERROR',
  'INVALID_APP_KEY',
  'TOO_MANY_REQUESTS',
  'SERVICE_BUSY',
  'TIMEOUT_ERROR',
  'REQUEST_SIZE_EXCEEDS_LIMIT',
  'ACCESS_DENIED',
] as const;
export type ApingErrorCode = (typeof APING_ERROR_CODES)[number];

/** Generic JSON-RPC error codes; -32099 wraps an APINGException. */
export const JSON_RPC_ERROR_CODES = {
  parseError: -32700,
  methodNotFound: -32601,
  invalidParams: -32602,
  apingException: -32099,
} as const;

/** Most marketIds Betfair accepts in one request (REQUEST_SIZE_EXCEEDS_LIMIT above it). */
export const MAX_MARKET_IDS_PER_REQUEST = 250;
/** Largest maxResults listMarketCatalogue accepts. */
export const MAX_CATALOGUE_RESULTS = 1000;

/** Prefix of every betting operation's JSON-RPC method name. */
export const SPORTS_APING_PREFIX = 'SportsAPING/v1.0/';

const RpcIdSchema = z.union([z.number(), z.string(), z.null()]);

/** One JSON-RPC request as Betfair accepts it. */
export const JsonRpcRequestSchema = z.object({
  jsonrpc: z.literal('2.0'),
  method: z.string(),
  params: z.record(z.string(), z.unknown()).optional(),
  id: RpcIdSchema.optional(),
});
export type JsonRpcRequest = z.infer<typeof JsonRpcRequestSchema>;

/** A request body: one request or an array of them. */
export const JsonRpcBodySchema = z.union([JsonRpcRequestSchema, z.array(JsonRpcRequestSchema)]);

/** The APINGException detail inside a -32099 error. */
export const ApingExceptionSchema = z.looseObject({
  // A plain string: a code Betfair adds later must still be read, then mapped as unknown.
  errorCode: z.string(),
  errorDetails: z.string().optional(),
  requestUUID: z.string().optional(),
});
export type ApingException = z.infer<typeof ApingExceptionSchema>;

/** The `error` member of a failed JSON-RPC response. */
export const JsonRpcErrorSchema = z.looseObject({
  code: z.number().int(),
  message: z.string(),
  data: z
    .looseObject({
      APINGException: ApingExceptionSchema.optional(),
      exceptionname: z.string().optional(),
    })
    .optional(),
});
export type JsonRpcError = z.infer<typeof JsonRpcErrorSchema>;

/** A successful JSON-RPC response; `result` is checked by the operation's own schema. */
export const JsonRpcSuccessSchema = z.looseObject({
  jsonrpc: z.literal('2.0'),
  result: z.unknown(),
  id: RpcIdSchema.optional(),
});

/** A failed JSON-RPC response. */
export const JsonRpcFailureSchema = z.looseObject({
  jsonrpc: z.literal('2.0'),
  error: JsonRpcErrorSchema,
  id: RpcIdSchema.optional(),
});

/** Either outcome; failures are tried first because a failure never carries `result`. */
export const JsonRpcResponseSchema = z.union([JsonRpcFailureSchema, JsonRpcSuccessSchema]);
export type JsonRpcResponse = z.infer<typeof JsonRpcResponseSchema>;

/** Outcomes of the identity service's keepAlive. */
export const KEEP_ALIVE_STATUSES = ['SUCCESS', 'FAIL'] as const;

/** The keepAlive answer: `token` is the session kept alive, `product` the app key. */
export const KeepAliveResponseSchema = z.looseObject({
  token: z.string(),
  product: z.string(),
  status: z.enum(KEEP_ALIVE_STATUSES),
  error: z.string(),
});
export type KeepAliveResponse = z.infer<typeof KeepAliveResponseSchema>;

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
  maxResults: z.coerce.number().int().min(1).max(MAX_CATALOGUE_RESULTS),
  locale: z.string().optional(),
});
export type ListMarketCatalogueParams = z.infer<typeof ListMarketCatalogueParamsSchema>;

/** Params of SportsAPING/v1.0/listMarketBook. */
export const ListMarketBookParamsSchema = z.looseObject({
  marketIds: z.array(z.string()).min(1).max(MAX_MARKET_IDS_PER_REQUEST),
  priceProjection: PriceProjectionSchema.optional(),
  orderProjection: z.enum(ORDER_PROJECTIONS).optional(),
  matchProjection: z.enum(MATCH_PROJECTIONS).optional(),
  currencyCode: z.string().optional(),
  locale: z.string().optional(),
});
export type ListMarketBookParams = z.infer<typeof ListMarketBookParamsSchema>;

import { z } from 'zod';
import { MarketFilterSchema } from '../../betfair/protocol.js';
import {
  MarketProjectionSchema,
  MarketSortSchema,
  PriceDataSchema,
} from '../../betfair/vocabulary.js';
import { ApingError, RPC_ERRORS, RpcError } from './aping-errors.js';
import type { SimulatorState } from './control.js';
import type { BookProjection } from './model/books.js';
import type { Exchange } from './model/exchange.js';
import { bookWeight, catalogueWeight, MAX_MARKET_IDS, MAX_RESULTS, MAX_WEIGHT } from './weights.js';

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

/** The betting operations the simulator answers, by their API-NG names. */
export const OPERATIONS = ['listMarketCatalogue', 'listMarketBook', 'listEventTypes'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** What a call did, besides its result: the weight it asked for, for the stats. */
export interface CallOutcome {
  result: unknown;
  weight: number;
}

/** True for a name of an operation the simulator answers. */
export function isOperation(name: string): name is Operation {
  return (OPERATIONS as readonly string[]).includes(name);
}

/**
 * Runs one betting operation against the exchange at `now`. Throws RpcError for parameters of
 * the wrong shape and ApingError for everything Betfair refuses (limits, bad values).
 */
export function runOperation(
  exchange: Exchange,
  operation: Operation,
  params: unknown,
  now: number,
  onWeight: (weight: number) => void = () => {},
): CallOutcome {
  switch (operation) {
    case 'listMarketCatalogue':
      return listMarketCatalogue(exchange, parse(catalogueParamsSchema, params), now, onWeight);
    case 'listMarketBook':
      return listMarketBook(exchange, parse(bookParamsSchema, params), now, onWeight);
    case 'listEventTypes': {
      const { filter } = parse(eventTypesParamsSchema, params);
      return { result: exchange.listEventTypes(filter, now), weight: 0 };
    }
  }
}

function listMarketCatalogue(
  exchange: Exchange,
  params: CatalogueParams,
  now: number,
  onWeight: (weight: number) => void,
): CallOutcome {
  if (params.maxResults < 1 || params.maxResults > MAX_RESULTS) {
    throw new ApingError('INVALID_INPUT_DATA', `maxResults must be between 1 and ${MAX_RESULTS}`);
  }
  const projections = new Set(params.marketProjection ?? []);
  const weight = catalogueWeight(projections) * params.maxResults;
  onWeight(weight);
  checkWeight(weight);
  const query = {
    filter: params.filter,
    projections,
    sort: params.sort ?? 'FIRST_TO_START',
    maxResults: params.maxResults,
  };
  return { result: exchange.listMarketCatalogue(query, now), weight };
}

function listMarketBook(
  exchange: Exchange,
  params: BookParams,
  now: number,
  onWeight: (weight: number) => void,
): CallOutcome {
  const ids = params.marketIds;
  if (ids.length > MAX_MARKET_IDS) {
    throw new ApingError(
      'REQUEST_SIZE_EXCEEDS_LIMIT',
      `at most ${MAX_MARKET_IDS} marketIds a request, got ${ids.length}`,
    );
  }
  const priceData = params.priceProjection?.priceData ?? [];
  const depth = params.priceProjection?.exBestOffersOverrides?.bestPricesDepth ?? 3;
  if (depth < 1) throw new ApingError('INVALID_INPUT_DATA', 'bestPricesDepth must be at least 1');
  const weight = bookWeight(priceData, depth) * ids.length;
  onWeight(weight);
  checkWeight(weight);
  const projection: BookProjection = { priceData: new Set(priceData), bestPricesDepth: depth };
  return { result: exchange.listMarketBook(ids, projection, now), weight };
}

function checkWeight(weight: number): void {
  if (weight > MAX_WEIGHT) {
    throw new ApingError(
      'TOO_MUCH_DATA',
      `request weight ${weight} exceeds the limit of ${MAX_WEIGHT}`,
    );
  }
}

function parse<S extends z.ZodType>(schema: S, params: unknown): z.output<S> {
  const parsed = schema.safeParse(params ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') || 'params';
  throw new RpcError(RPC_ERRORS.INVALID_PARAMS, `${where}: ${issue?.message ?? 'invalid'}`);
}

/** The two headers API-NG authenticates a call with. */
export interface CallHeaders {
  appKey: string | undefined;
  sessionToken: string | undefined;
}

/** A betting call's answer: its result, or the error Betfair would give. */
export type CallResult =
  { ok: true; result: unknown } | { ok: false; error: ApingError | RpcError };

/**
 * Runs one betting call as API-NG does: the operation must exist, then the app key and session
 * must be good, then any injected fault strikes, then the operation's own limits apply.
 */
export function callBetting(
  state: SimulatorState,
  headers: CallHeaders,
  operation: string,
  params: unknown,
): CallResult {
  state.stats.request(operation);
  try {
    if (!isOperation(operation)) {
      throw new RpcError(RPC_ERRORS.METHOD_NOT_FOUND, `no operation ${operation}`);
    }
    const now = state.clock.now();
    authenticate(state, headers, now);
    const injected = state.faults.nextError();
    if (injected) throw new ApingError(injected, 'injected by the simulator');
    const { result } = runOperation(state.exchange, operation, params, now, (w) =>
      state.stats.weight(w),
    );
    return { ok: true, result };
  } catch (error) {
    if (!(error instanceof ApingError || error instanceof RpcError)) throw error;
    state.stats.error(error instanceof ApingError ? error.errorCode : String(error.rpc.code));
    return { ok: false, error };
  }
}

function authenticate(state: SimulatorState, headers: CallHeaders, now: number): void {
  if (!headers.appKey) throw new ApingError('NO_APP_KEY', 'X-Application header is missing');
  if (!state.appKeys.has(headers.appKey)) {
    throw new ApingError('INVALID_APP_KEY', 'the application key is not recognised');
  }
  const problem = state.sessions.check(headers.sessionToken, now);
  if (problem === 'NO_SESSION') throw new ApingError(problem, 'X-Authentication header is missing');
  if (problem) throw new ApingError(problem, 'the session token is invalid or has expired');
}

import type { z } from 'zod';
import type { Exchange } from '../model/exchange.js';
import type { BookProjection } from '../model/projection.js';
import { ApingError, RPC_ERRORS, RpcError } from './aping-error.js';
import {
  bookParamsSchema,
  catalogueParamsSchema,
  eventTypesParamsSchema,
  type BookParams,
  type CatalogueParams,
} from './params.js';
import { bookWeight, catalogueWeight, MAX_MARKET_IDS, MAX_RESULTS, MAX_WEIGHT } from './weights.js';

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

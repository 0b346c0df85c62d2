import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import { z } from 'zod';
import type { Logger } from '../platform/logging.js';
import { betfairError, fromHttpStatus, fromKeepAliveFailure } from './errors.js';
import {
  MarketBookSchema,
  type MarketBook,
  MarketCatalogueSchema,
  type MarketCatalogue,
} from './market-schemas.js';
import {
  type PriceProjection,
  KeepAliveResponseSchema,
  type KeepAliveResponse,
  type MarketFilter,
  MAX_CATALOGUE_RESULTS,
} from './protocol.js';
import { createRedactor, scrubError, type Redactor } from './secrets.js';
import {
  type Deadline,
  type FetchLike,
  postForJson,
  type PostSettings,
  callRpc,
  requestTimeoutMs,
  type RpcSettings,
  withRetries,
  type RetrySettings,
} from './transport.js';
import type {
  MarketProjection,
  MarketSort,
  MatchProjection,
  OrderProjection,
} from './vocabulary.js';
import {
  inMarketIdOrder,
  uniqueMarketIds,
  bookWeight,
  cataloguePerRequest,
  catalogueWeight,
  chunk,
  planBookBatches,
} from './weights.js';

/** Settings of a BetfairClient; only `appKey` and `sessionToken` are required. */
export interface BetfairClientOptions {
  appKey: string;
  /** The SSOID from a Betfair login. */
  sessionToken: string;
  endpoint?: string;
  identityEndpoint?: string;
  /** Per HTTP request, body included. Default 30 s. */
  timeoutMs?: number;
  /** Retries of a transient or throttled failure. Default 3. */
  retries?: number;
  retryMinTimeoutMs?: number;
  retryMaxTimeoutMs?: number;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /**
   * When every request must have ended: none starts after it, none outlasts it (its timeout is
   * cut to what is left), and no retry is made that could not finish before it.
   */
  deadline?: Deadline;
  /** Told of every failed attempt of a request, retried or not, with the error it met. */
  onFailedRequest?: (failure: FailedRequest) => void;
  fetch?: FetchLike;
  logger?: Logger;
}

/** One failed attempt of a request. */
export interface FailedRequest {
  operation: string;
  /** The error, scrubbed of the app key and session token. */
  error: Error;
  attemptNumber: number;
  /** Whether another attempt follows. */
  retried: boolean;
}

/** Options of listMarketCatalogue beyond the filter. */
export interface CatalogueOptions {
  marketProjection?: readonly MarketProjection[];
  sort?: MarketSort;
  /** Markets wanted in all, 1–1000 (Betfair's cap). Default 1000. */
  maxResults?: number;
  locale?: string;
}

/** Options of listMarketBook beyond the marketIds. */
export interface BookOptions {
  priceProjection?: PriceProjection;
  orderProjection?: OrderProjection;
  matchProjection?: MatchProjection;
  /** Shorthand for priceProjection.virtualise. */
  virtualise?: boolean;
  currencyCode?: string;
  locale?: string;
}

export const DEFAULT_ENDPOINT = 'https://api.betfair.com/exchange/betting/json-rpc/v1';
export const DEFAULT_IDENTITY_ENDPOINT = 'https://identitysso.betfair.com/api';

/** Where and as whom the session is kept alive. */
export interface KeepAliveSettings extends PostSettings {
  identityEndpoint: string;
  appKey: string;
  sessionToken: string;
}

/**
 * Extends the session with the identity service. Resolves with the SUCCESS answer; a FAIL
 * (NO_SESSION, INPUT_VALIDATION_ERROR…) throws BETFAIR.SESSION, INTERNAL_ERROR BETFAIR.TRANSIENT.
 */
export async function keepAlive(settings: KeepAliveSettings): Promise<KeepAliveResponse> {
  const operation = 'keepAlive';
  const response = await postForJson(settings, {
    url: `${settings.identityEndpoint.replace(/\/+$/, '')}/keepAlive`,
    headers: {
      'X-Application': settings.appKey,
      'X-Authentication': settings.sessionToken,
      Accept: 'application/json',
    },
    operation,
  });
  const parsed = KeepAliveResponseSchema.safeParse(response.json);
  if (!parsed.success) {
    if (!response.ok) throw fromHttpStatus(response.status, operation);
    throw betfairError('BETFAIR.BAD_RESPONSE', 'keepAlive answered in an unexpected shape', {
      operation,
    });
  }
  if (parsed.data.status === 'FAIL') throw fromKeepAliveFailure(parsed.data.error);
  return parsed.data;
}

const CataloguesSchema = z.array(MarketCatalogueSchema);
const BooksSchema = z.array(MarketBookSchema);

/** State shared by a client and the copies withSession makes: one limit on requests in flight. */
interface Shared {
  limit: LimitFunction;
  nextId: number;
}

/**
 * Read-only Betfair Exchange API-NG client. Splits every request to stay within Betfair's
 * weight and size limits, retries transient failures with backoff, and never puts the app key
 * or session token into an error or a log line.
 */
export class BetfairClient {
  readonly #options: BetfairClientOptions;
  readonly #redact: Redactor;
  readonly #retry: RetrySettings;
  #shared: Shared;

  constructor(options: BetfairClientOptions) {
    this.#options = { ...options };
    this.#redact = createRedactor([options.appKey, options.sessionToken]);
    this.#retry = {
      retries: options.retries ?? 3,
      minTimeoutMs: options.retryMinTimeoutMs ?? 500,
      maxTimeoutMs: options.retryMaxTimeoutMs ?? 10_000,
    };
    this.#shared = { limit: pLimit(options.concurrency ?? 4), nextId: 1 };
  }

  /** A client for another session token, sharing this one's settings and concurrency limit. */
  withSession(sessionToken: string): BetfairClient {
    const client = new BetfairClient({ ...this.#options, sessionToken });
    client.#shared = this.#shared;
    return client;
  }

  /**
   * Every market matching `filter`, up to maxResults, in Betfair's order. When the projections
   * allow fewer markets a call than wanted, the ids are listed first with weightless projections
   * and the details fetched in pages of marketIds, so no request exceeds 200 points.
   */
  async listMarketCatalogue(
    filter: MarketFilter,
    options: CatalogueOptions = {},
  ): Promise<MarketCatalogue[]> {
    const { marketProjection = [], sort, locale } = options;
    const maxResults = checkMaxResults(options.maxResults ?? MAX_CATALOGUE_RESULTS);
    const perRequest = cataloguePerRequest(marketProjection);
    const base = { marketProjection, sort, locale };
    if (maxResults <= perRequest) return this.#catalogue({ ...base, filter, maxResults });
    const listing = await this.#catalogue({
      filter,
      sort,
      locale,
      maxResults,
      marketProjection: [],
    });
    const marketIds = listing.map((market) => market.marketId);
    // The filter already chose these ids; repeating it could drop a market that changed since.
    const pages = await Promise.all(
      chunk(marketIds, perRequest).map((page) =>
        this.#catalogue({ ...base, filter: { marketIds: page }, maxResults: page.length }),
      ),
    );
    return inMarketIdOrder(marketIds, pages.flat());
  }

  /**
   * Books for `marketIds`, in their order (each id once; ids Betfair does not return are left
   * out), fetched in batches sized by the priceProjection's weight and at most 250 ids.
   * Betfair advises asking for OPEN and CLOSED markets in separate calls.
   */
  async listMarketBook(
    marketIds: readonly string[],
    options: BookOptions = {},
  ): Promise<MarketBook[]> {
    const { virtualise, ...rest } = options;
    const priceProjection =
      virtualise === undefined ? rest.priceProjection : { ...rest.priceProjection, virtualise };
    const ids = uniqueMarketIds(marketIds);
    const batches = planBookBatches(ids, priceProjection);
    const points = bookWeight(priceProjection);
    const books = await Promise.all(
      batches.map((batch) =>
        this.#call('listMarketBook', { ...rest, priceProjection, marketIds: batch }, BooksSchema, {
          markets: batch.length,
          points: points * batch.length,
        }),
      ),
    );
    return inMarketIdOrder(ids, books.flat());
  }

  /** Extends the session; throws BETFAIR.SESSION (needsNewSession) when it is already gone. */
  keepAlive(): Promise<KeepAliveResponse> {
    const identityEndpoint = this.#options.identityEndpoint ?? DEFAULT_IDENTITY_ENDPOINT;
    return this.#attempt('keepAlive', {}, () =>
      keepAlive({ ...this.#rpcSettings('keepAlive'), identityEndpoint }),
    );
  }

  #catalogue(params: {
    filter: MarketFilter;
    marketProjection: readonly MarketProjection[];
    sort?: MarketSort;
    maxResults: number;
    locale?: string;
  }): Promise<MarketCatalogue[]> {
    const points = catalogueWeight(params.marketProjection) * params.maxResults;
    return this.#call('listMarketCatalogue', params, CataloguesSchema, {
      maxResults: params.maxResults,
      points,
    });
  }

  #call<S extends z.ZodType>(
    operation: string,
    params: Record<string, unknown>,
    schema: S,
    fields: Record<string, unknown>,
  ): Promise<z.output<S>> {
    const call = { operation, params, id: this.#shared.nextId++ };
    return this.#attempt(operation, fields, () =>
      callRpc(this.#rpcSettings(operation), call, schema),
    );
  }

  /**
   * One operation under the concurrency limit, retried when transient and time allows, errors
   * scrubbed; every failed attempt is reported.
   */
  #attempt<T>(
    operation: string,
    fields: Record<string, unknown>,
    run: () => Promise<T>,
  ): Promise<T> {
    const { logger, deadline, onFailedRequest } = this.#options;
    const scrubbed = async () => {
      try {
        return await run();
      } catch (error) {
        throw scrubError(error, this.#redact);
      }
    };
    return this.#shared.limit(() => {
      logger?.debug('Betfair request', { operation, ...fields });
      return withRetries(scrubbed, this.#retry, {
        deadline,
        onFailedAttempt: (error, attemptNumber, retried) => {
          if (retried) {
            logger?.warn('Betfair request failed; retrying', {
              operation,
              attemptNumber,
              code: (error as { code?: unknown }).code,
              error: error.message,
            });
          }
          onFailedRequest?.({ operation, error, attemptNumber, retried });
        },
      });
    });
  }

  /** Settings of one attempt: its timeout is cut to what is left before the deadline. */
  #rpcSettings(operation: string): RpcSettings {
    const timeoutMs = this.#options.timeoutMs ?? 30_000;
    return {
      endpoint: this.#options.endpoint ?? DEFAULT_ENDPOINT,
      appKey: this.#options.appKey,
      sessionToken: this.#options.sessionToken,
      timeoutMs: requestTimeoutMs(timeoutMs, this.#options.deadline, operation),
      fetch: this.#options.fetch ?? ((input, init) => fetch(input, init)),
    };
  }
}

function checkMaxResults(maxResults: number): number {
  if (Number.isInteger(maxResults) && maxResults >= 1 && maxResults <= MAX_CATALOGUE_RESULTS) {
    return maxResults;
  }
  throw betfairError(
    'BETFAIR.BAD_REQUEST',
    `maxResults must be a whole number from 1 to ${MAX_CATALOGUE_RESULTS}, not ${maxResults}`,
  );
}

import type { Logger } from '../logging/logger.js';
import type { FetchLike } from './http-post.js';
import type {
  MarketProjection,
  MarketSort,
  MatchProjection,
  OrderProjection,
} from './projections.js';
import type { PriceProjection } from './request-schemas.js';

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
  fetch?: FetchLike;
  logger?: Logger;
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

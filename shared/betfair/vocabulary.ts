import { z } from 'zod';

/** What listMarketCatalogue returns beyond marketId and marketName. */
export const MARKET_PROJECTIONS = [
  'COMPETITION',
  'EVENT',
  'EVENT_TYPE',
  'MARKET_START_TIME',
  'MARKET_DESCRIPTION',
  'RUNNER_DESCRIPTION',
  'RUNNER_METADATA',
] as const;
export type MarketProjection = (typeof MARKET_PROJECTIONS)[number];
export const MarketProjectionSchema = z.enum(MARKET_PROJECTIONS);

/** The price data listMarketBook can return (PriceProjection.priceData). */
export const PRICE_DATA = [
  'SP_AVAILABLE',
  'SP_TRADED',
  'EX_BEST_OFFERS',
  'EX_ALL_OFFERS',
  'EX_TRADED',
] as const;
export type PriceData = (typeof PRICE_DATA)[number];
export const PriceDataSchema = z.enum(PRICE_DATA);

/** Orders of listMarketCatalogue results. */
export const MARKET_SORTS = [
  'MINIMUM_TRADED',
  'MAXIMUM_TRADED',
  'MINIMUM_AVAILABLE',
  'MAXIMUM_AVAILABLE',
  'FIRST_TO_START',
  'LAST_TO_START',
] as const;
export type MarketSort = (typeof MARKET_SORTS)[number];
export const MarketSortSchema = z.enum(MARKET_SORTS);

/** Which of the caller's own orders listMarketBook includes. */
export const ORDER_PROJECTIONS = ['ALL', 'EXECUTABLE', 'EXECUTION_COMPLETE'] as const;
export type OrderProjection = (typeof ORDER_PROJECTIONS)[number];

/** How the caller's matches are rolled up in listMarketBook. */
export const MATCH_PROJECTIONS = [
  'NO_ROLLUP',
  'ROLLED_UP_BY_PRICE',
  'ROLLED_UP_BY_AVG_PRICE',
] as const;
export type MatchProjection = (typeof MATCH_PROJECTIONS)[number];

/**
 * Market statuses: a MarketBook's `status`, and the same set in an Exchange Stream (and
 * historical file) marketDefinition.
 */
export const MARKET_STATUSES = ['INACTIVE', 'OPEN', 'SUSPENDED', 'CLOSED'] as const;
export type MarketStatus = (typeof MARKET_STATUSES)[number];

/** Runner statuses: a MarketBook runner's `status`, and the same set in a marketDefinition. */
export const RUNNER_STATUSES = [
  'ACTIVE',
  'WINNER',
  'LOSER',
  'PLACED',
  'REMOVED_VACANT',
  'REMOVED',
  'HIDDEN',
] as const;
export type RunnerStatus = (typeof RUNNER_STATUSES)[number];

/** Horse racing's event type (EventType, MarketFilter.eventTypeIds, marketDefinition). */
export const HORSE_RACING = { id: '7', name: 'Horse Racing' } as const;

/**
 * The horse racing market types (MarketDescription.marketType, MarketFilter.marketTypeCodes)
 * this project simulates and generates. Betfair has more, so the client's schemas keep
 * `marketType` a plain string.
 */
export const RACING_MARKET_TYPES = [
  'WIN',
  'PLACE',
  'EACH_WAY',
  'OTHER_PLACE',
  'MATCH_BET',
  'ANTEPOST_WIN',
] as const;
export type RacingMarketType = (typeof RACING_MARKET_TYPES)[number];

/** Betfair's historical data tiers: the top folder of a historical file's path. */
export const BETFAIR_TIERS = ['BASIC', 'ADVANCED', 'PRO'] as const;
export type BetfairTier = (typeof BETFAIR_TIERS)[number];

/** Month folder names of the historical files (`PRO/2022/Apr/19/…`), January first. */
// prettier-ignore
export const BETFAIR_MONTHS = [
  'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec',
] as const;
export type BetfairMonth = (typeof BETFAIR_MONTHS)[number];

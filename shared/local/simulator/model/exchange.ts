import type { EventType } from '../../../betfair/market-schemas.js';
import {
  HORSE_RACING,
  type MarketProjection,
  type MarketSort,
} from '../../../betfair/vocabulary.js';
import type { SimulatedMarketBook, SimulatedMarketCatalogue } from '../market-types.js';
import { marketBook, type BookProjection } from './books.js';
import { marketCatalogue, matchesFilter, sortMarkets, type MarketFilter } from './catalogue.js';
import {
  type MarketPlan,
  epochDayOf,
  epochDayOfMarketId,
  marketIdBase,
  phaseAt,
  planDay,
  type DayOptions,
  type DayPlan,
} from './day-plan.js';

/** Days of plans kept in memory; older days are planned again if asked for. */
const CACHED_DAYS = 8;

/** A listMarketCatalogue query, already validated. */
export interface CatalogueQuery {
  filter: MarketFilter;
  projections: ReadonlySet<MarketProjection>;
  sort: MarketSort;
  maxResults: number;
}

/** The simulated exchange: the day's racing, answered as Betfair would at any instant. */
export interface Exchange {
  /** Markets listed at `now`: today's card less the CLOSED markets. */
  listedMarkets(now: number): MarketPlan[];
  /** A market the simulator has given out, whatever its state, or undefined. */
  findMarket(marketId: string): MarketPlan | undefined;
  listMarketCatalogue(query: CatalogueQuery, now: number): SimulatedMarketCatalogue[];
  /** Books for known ids, in the order asked; unknown ids are left out as Betfair does. */
  listMarketBook(
    marketIds: string[],
    projection: BookProjection,
    now: number,
  ): SimulatedMarketBook[];
  listEventTypes(
    filter: MarketFilter,
    now: number,
  ): { eventType: EventType; marketCount: number }[];
}

/** Creates the exchange model for a seed; the same seed and time always give the same answers. */
export function createExchange(seed: number, dayOptions: DayOptions = {}): Exchange {
  const days = new Map<number, DayPlan>();
  const dayPlan = (epochDay: number): DayPlan => {
    let plan = days.get(epochDay);
    if (!plan) {
      plan = planDay(seed, epochDay, dayOptions);
      days.set(epochDay, plan);
      if (days.size > CACHED_DAYS) days.delete(days.keys().next().value as number);
    }
    return plan;
  };
  const listedMarkets = (now: number) =>
    dayPlan(epochDayOf(now)).markets.filter((m) => phaseAt(m, now).status !== 'CLOSED');
  const filtered = (filter: MarketFilter, now: number) =>
    listedMarkets(now).filter((m) => matchesFilter(m, filter, now));
  const findMarket = (marketId: string) => {
    const day = epochDayOfMarketId(marketId);
    if (day === undefined || day < 0) return undefined;
    const index = Number(marketId.slice(2)) - marketIdBase(day);
    const market = dayPlan(day).markets[index];
    return market?.marketId === marketId ? market : undefined;
  };
  return {
    listedMarkets,
    findMarket,
    listMarketCatalogue: (query, now) =>
      sortMarkets(filtered(query.filter, now), query.sort, now)
        .slice(0, query.maxResults)
        .map((m) => marketCatalogue(m, now, query.projections)),
    listMarketBook: (marketIds, projection, now) =>
      marketIds
        .map(findMarket)
        .filter((m): m is MarketPlan => m !== undefined)
        .map((m) => marketBook(m, seed, now, projection)),
    listEventTypes: (filter, now) => {
      const count = filtered(filter, now).length;
      return count === 0 ? [] : [{ eventType: { ...HORSE_RACING }, marketCount: count }];
    },
  };
}

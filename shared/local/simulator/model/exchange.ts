import type { MarketSource } from '../../../betfair/betting-operations.js';
import { marketBook } from './books.js';
import { marketCatalogue } from './catalogue.js';
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

/** The simulated exchange: the day's racing, answered as Betfair would at any instant. */
export interface Exchange extends MarketSource {
  /** Markets listed at `now`: today's card less the CLOSED markets. */
  listedMarkets(now: number): MarketPlan[];
  /** A market the simulator has given out, whatever its state, or undefined. */
  findMarket(marketId: string): MarketPlan | undefined;
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
    catalogueMarkets: (now) =>
      listedMarkets(now).map((m) => ({
        catalogue: marketCatalogue(m, now),
        inplay: phaseAt(m, now).inplay,
      })),
    marketBooks: (marketIds, now) =>
      marketIds
        .map(findMarket)
        .filter((m): m is MarketPlan => m !== undefined)
        .map((m) => marketBook(m, seed, now)),
  };
}

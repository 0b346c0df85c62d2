import type {
  BetfairEvent,
  MarketDescription,
  RunnerCatalog,
} from '../../../betfair/market-schemas.js';
import type { MarketFilter as BetfairMarketFilter } from '../../../betfair/protocol.js';
import {
  HORSE_RACING,
  type MarketSort,
  type MarketProjection,
} from '../../../betfair/vocabulary.js';
import type { SimulatedMarketCatalogue } from '../market-types.js';
import { matchedSoFar } from './books.js';
import { phaseAt, type MarketPlan } from './day-plan.js';
import { money, marketHorses } from './prices.js';

/** The parts of Betfair's MarketFilter the simulator honours. */
export type MarketFilter = Pick<
  BetfairMarketFilter,
  | 'textQuery'
  | 'eventTypeIds'
  | 'eventIds'
  | 'marketIds'
  | 'venues'
  | 'bspOnly'
  | 'turnInPlayEnabled'
  | 'inPlayOnly'
  | 'marketBettingTypes'
  | 'marketCountries'
  | 'marketTypeCodes'
  | 'marketStartTime'
>;

type Check = (market: MarketPlan, filter: MarketFilter, now: number) => boolean;

const oneOf = (values: string[] | undefined, value: string): boolean =>
  values === undefined || values.length === 0 || values.includes(value);

const CHECKS: Check[] = [
  (m, f) => oneOf(f.eventTypeIds, HORSE_RACING.id),
  (m, f) => oneOf(f.eventIds, m.race.eventId),
  (m, f) => oneOf(f.marketIds, m.marketId),
  (m, f) => oneOf(f.venues, m.race.venue.venue),
  (m, f) => oneOf(f.marketCountries, m.race.venue.countryCode),
  (m, f) => oneOf(f.marketTypeCodes, m.marketType),
  (m, f) => oneOf(f.marketBettingTypes, 'ODDS'),
  (m, f) => f.bspOnly === undefined || f.bspOnly === m.bspMarket,
  (m, f) => f.turnInPlayEnabled === undefined || f.turnInPlayEnabled === m.turnInPlayEnabled,
  (m, f, now) => f.inPlayOnly === undefined || f.inPlayOnly === phaseAt(m, now).inplay,
  (m, f) => inRange(m.race.off, f.marketStartTime),
  (m, f) => f.textQuery === undefined || matchesText(m, f.textQuery),
];

/** True when a market passes every condition of the filter (an empty filter passes all). */
export function matchesFilter(market: MarketPlan, filter: MarketFilter, now: number): boolean {
  return CHECKS.every((check) => check(market, filter, now));
}

/** Markets in the order asked for; ties keep the card's order. */
export function sortMarkets(markets: MarketPlan[], sort: MarketSort, now: number): MarketPlan[] {
  const byStart = (a: MarketPlan, b: MarketPlan) => a.race.off - b.race.off;
  // Available money tracks matched money closely enough to order by it.
  const byMatched = (a: MarketPlan, b: MarketPlan) => matchedSoFar(a, now) - matchedSoFar(b, now);
  const compare = {
    FIRST_TO_START: byStart,
    LAST_TO_START: (a: MarketPlan, b: MarketPlan) => -byStart(a, b),
    MINIMUM_TRADED: byMatched,
    MAXIMUM_TRADED: (a: MarketPlan, b: MarketPlan) => -byMatched(a, b),
    MINIMUM_AVAILABLE: byMatched,
    MAXIMUM_AVAILABLE: (a: MarketPlan, b: MarketPlan) => -byMatched(a, b),
  }[sort];
  return [...markets].sort(compare);
}

function inRange(time: number, range: MarketFilter['marketStartTime']): boolean {
  if (!range) return true;
  if (range.from !== undefined && time < Date.parse(range.from)) return false;
  if (range.to !== undefined && time > Date.parse(range.to)) return false;
  return true;
}

function matchesText(market: MarketPlan, text: string): boolean {
  const haystack = `${market.marketName} ${market.race.eventName} ${market.race.venue.venue}`;
  return haystack.toLowerCase().includes(text.toLowerCase());
}

/** A market's listMarketCatalogue entry at `now`, with the projections asked for. */
export function marketCatalogue(
  market: MarketPlan,
  now: number,
  projections: ReadonlySet<MarketProjection>,
): SimulatedMarketCatalogue {
  const entry: SimulatedMarketCatalogue = {
    marketId: market.marketId,
    marketName: market.marketName,
    totalMatched: money(matchedSoFar(market, now)),
  };
  if (projections.has('MARKET_START_TIME')) entry.marketStartTime = iso(market.race.off);
  if (projections.has('MARKET_DESCRIPTION')) entry.description = description(market);
  if (projections.has('RUNNER_DESCRIPTION') || projections.has('RUNNER_METADATA')) {
    entry.runners = runners(market, projections.has('RUNNER_METADATA'));
  }
  if (projections.has('EVENT_TYPE')) entry.eventType = { ...HORSE_RACING };
  if (projections.has('EVENT')) entry.event = event(market);
  // COMPETITION is accepted but UK/IE race meetings have no competition, so it adds nothing.
  return entry;
}

function description(market: MarketPlan): MarketDescription {
  const time = iso(market.race.off);
  return {
    persistenceEnabled: market.turnInPlayEnabled,
    bspMarket: market.bspMarket,
    marketTime: time,
    suspendTime: time,
    bettingType: 'ODDS',
    turnInPlayEnabled: market.turnInPlayEnabled,
    marketType: market.marketType,
    regulator:
      market.race.venue.countryCode === 'IE'
        ? 'MALTA LOTTERIES AND GAMBLING AUTHORITY'
        : 'GIBRALTAR REGULATOR',
    marketBaseRate: 5,
    discountAllowed: true,
    wallet: 'UK wallet',
    rules: `<b>${market.marketName}</b>: ${market.numberOfWinners} winner(s). Non-runners are voided and a reduction factor may apply.`,
    rulesHasDate: true,
    ...(market.eachWayDivisor === undefined ? {} : { eachWayDivisor: market.eachWayDivisor }),
    raceType: market.race.raceType,
    priceLadderDescription: { type: 'CLASSIC' },
  };
}

function runners(market: MarketPlan, withMetadata: boolean): RunnerCatalog[] {
  return marketHorses(market).map((horse, index) => ({
    selectionId: horse.selectionId,
    runnerName: horse.name,
    handicap: 0,
    sortPriority: index + 1,
    ...(withMetadata ? { metadata: { ...horse.metadata } } : {}),
  }));
}

function event(market: MarketPlan): BetfairEvent {
  const { race } = market;
  return {
    id: race.eventId,
    name: race.eventName,
    countryCode: race.venue.countryCode,
    timezone: race.venue.timezone,
    venue: race.venue.venue,
    openDate: iso(race.openDate),
  };
}

function iso(time: number): string {
  return new Date(time).toISOString();
}

import type { MarketCatalogue, MarketDescription, RunnerCatalog } from '../betfair-types.js';
import { money } from './ladder.js';
import { matchedSoFar } from './market-book.js';
import type { MarketPlan } from './market-plan.js';
import { marketHorses } from './pricing.js';
import type { MarketProjection } from '../../betfair/projections.js';

/** Horse racing's event type, the only one the simulator lists. */
export const HORSE_RACING = { id: '7', name: 'Horse Racing' } as const;

/** A market's listMarketCatalogue entry at `now`, with the projections asked for. */
export function marketCatalogue(
  market: MarketPlan,
  now: number,
  projections: ReadonlySet<MarketProjection>,
): MarketCatalogue {
  const entry: MarketCatalogue = {
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

function event(market: MarketPlan): NonNullable<MarketCatalogue['event']> {
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

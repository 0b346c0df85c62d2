import type {
  BetfairEvent,
  MarketDescription,
  RunnerCatalog,
} from '../../../betfair/market-schemas.js';
import { HORSE_RACING } from '../../../betfair/vocabulary.js';
import type { SimulatedMarketCatalogue } from '../market-types.js';
import { matchedSoFar } from './books.js';
import type { MarketPlan } from './day-plan.js';
import { money, marketHorses } from './prices.js';

/** The parts of a catalogue entry that never change, made once per market. */
const fixedParts = new WeakMap<MarketPlan, SimulatedMarketCatalogue>();

/**
 * A market's listMarketCatalogue entry at `now` with every projection (the betting operations
 * cut it down to those asked for). COMPETITION adds nothing: UK/IE race meetings have none.
 * Only totalMatched changes with time; the rest is shared between calls and never mutated.
 */
export function marketCatalogue(market: MarketPlan, now: number): SimulatedMarketCatalogue {
  let fixed = fixedParts.get(market);
  if (!fixed) {
    fixed = {
      marketId: market.marketId,
      marketName: market.marketName,
      totalMatched: 0,
      marketStartTime: iso(market.race.off),
      description: description(market),
      runners: runners(market),
      eventType: { ...HORSE_RACING },
      event: event(market),
    };
    fixedParts.set(market, fixed);
  }
  return { ...fixed, totalMatched: money(matchedSoFar(market, now)) };
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

function runners(market: MarketPlan): RunnerCatalog[] {
  return marketHorses(market).map((horse, index) => ({
    selectionId: horse.selectionId,
    runnerName: horse.name,
    handicap: 0,
    sortPriority: index + 1,
    metadata: { ...horse.metadata },
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

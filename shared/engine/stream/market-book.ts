import type { MarketBook, PriceSize, Runner } from '../../betfair/market-schemas.js';
import {
  actualStartingPrice,
  availableToBack,
  availableToLay,
  marketTradedVolume,
  runnerTradedVolume,
} from './book-prices.js';
import { round2 } from './ladders.js';
import type { MarketCache, RunnerCache } from './market-cache.js';
import { streamNumber, type MarketDefinition } from './stream-message.js';

/**
 * A market as listMarketBook returns it, plus what the stream knows beside it: `publishTime`
 * (the last message's `pt`) and the whole `marketDefinition` (market time, venue, country, market
 * type, event, runner names).
 */
export type StreamMarketBook = MarketBook & {
  publishTime: number;
  marketDefinition: MarketDefinition;
};

type BetfairDouble = number | 'NaN' | 'Infinity' | '-Infinity';

/** Betfair writes numbers JSON cannot hold as strings. */
export function betfairDouble(value: number): BetfairDouble {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

/**
 * The market's book as of its last applied change; undefined before its first definition (a
 * file starting mid-market), since a book without a status is not Betfair's shape. Built on
 * demand: the cache itself holds no rendered form.
 */
export function renderMarketBook(market: MarketCache): StreamMarketBook | undefined {
  const definition = market.definition;
  if (definition === undefined) return undefined;
  const runners: Runner[] = [];
  let totalAvailable = 0;
  for (const runner of market.definitionRunners()) {
    const rendered = renderRunner(market, runner);
    for (const level of rendered.ex?.availableToBack ?? []) totalAvailable += level.size;
    for (const level of rendered.ex?.availableToLay ?? []) totalAvailable += level.size;
    runners.push(rendered);
  }
  return {
    marketId: market.marketId,
    isMarketDataDelayed: false,
    status: definition.status,
    betDelay: definition.betDelay ?? 0,
    bspReconciled: definition.bspReconciled === true,
    complete: definition.complete !== false,
    inplay: definition.inPlay === true,
    numberOfWinners: definition.numberOfWinners ?? 0,
    numberOfRunners: definition.runners.length,
    numberOfActiveRunners: definition.numberOfActiveRunners ?? 0,
    totalMatched: marketTradedVolume(market),
    totalAvailable: round2(totalAvailable),
    crossMatching: definition.crossMatching === true,
    runnersVoidable: definition.runnersVoidable === true,
    version: definition.version ?? 0,
    runners,
    publishTime: market.pt ?? 0,
    marketDefinition: definition,
  };
}

function renderRunner(market: MarketCache, runner: RunnerCache): Runner {
  const entry = runner.definitionRunner;
  const rendered: Runner = {
    selectionId: runner.selectionId,
    handicap: runner.handicap,
    status: entry?.status ?? 'ACTIVE',
    totalMatched: runnerTradedVolume(runner),
    sp: {
      backStakeTaken: priceSizes(runner.spb.pairs()),
      layLiabilityTaken: priceSizes(runner.spl.pairs()),
    },
    ex: {
      availableToBack: priceSizes(availableToBack(runner)),
      availableToLay: priceSizes(availableToLay(runner)),
      tradedVolume: priceSizes(runner.trd.pairs()),
    },
  };
  if (entry?.adjustmentFactor !== undefined) {
    rendered.adjustmentFactor = betfairDouble(streamNumber(entry.adjustmentFactor));
  }
  if (runner.ltp !== undefined) rendered.lastPriceTraded = betfairDouble(runner.ltp);
  if (entry?.removalDate !== undefined) rendered.removalDate = entry.removalDate;
  const sp = rendered.sp ?? {};
  if (runner.spn !== undefined) sp.nearPrice = betfairDouble(runner.spn);
  if (runner.spf !== undefined) sp.farPrice = betfairDouble(runner.spf);
  if (market.definition?.bspReconciled === true && entry?.bsp !== undefined) {
    sp.actualSP = betfairDouble(actualStartingPrice(market, runner));
  }
  return rendered;
}

function priceSizes(pairs: [number, number][]): PriceSize[] {
  return pairs.map(([price, size]) => ({ price, size }));
}

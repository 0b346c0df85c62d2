import {
  bestPrice,
  levelLadderIsEmpty,
  levelPairs,
  round2,
  type LevelLadder,
  type PriceLadder,
} from './ladders.js';
import type { MarketCache, RunnerCache } from './market-cache.js';
import { streamNumber } from './stream-message.js';

// How a book's figures are read from a cache, one rule each, shared by the rendered book and the
// products so both always agree.

/**
 * Available to back, best (highest) first: the full-depth `atb` when the runner has one, else
 * the best-display `bdatb`, else the best `batb`.
 */
export function availableToBack(runner: RunnerCache): [number, number][] {
  return available(runner.atb, runner.bdatb, runner.batb, true);
}

/** Available to lay, best (lowest) first: `atl`, else `bdatl`, else `batl`. */
export function availableToLay(runner: RunnerCache): [number, number][] {
  return available(runner.atl, runner.bdatl, runner.batl, false);
}

function available(
  full: PriceLadder,
  display: LevelLadder,
  best: LevelLadder,
  descending: boolean,
): [number, number][] {
  if (full.size > 0) return full.pairs(descending);
  return levelPairs(levelLadderIsEmpty(display) ? best : display);
}

/** The highest price available to back, or null; without sorting the ladder. */
export function bestBackPrice(runner: RunnerCache): number | null {
  if (runner.atb.size > 0) return runner.atb.extreme(true);
  return bestPrice(availableToBack(runner), true);
}

/** The lowest price available to lay, or null. */
export function bestLayPrice(runner: RunnerCache): number | null {
  if (runner.atl.size > 0) return runner.atl.extreme(false);
  return bestPrice(availableToLay(runner), false);
}

/**
 * The runner's traded volume: rebuilt from its `trd` ladder once it has one (the purchased
 * files' rule, betfairlightweight's `cumulative_runner_tv`), else its `tv`, else 0.
 */
export function runnerTradedVolume(runner: RunnerCache): number {
  if (runner.hasTradedLadder) return round2(runner.trd.volume());
  return runner.tv !== undefined && Number.isFinite(runner.tv) ? runner.tv : 0;
}

/**
 * The market's traded volume: the sum over all its runners when any has a `trd` ladder
 * (betfairlightweight's `calculate_market_tv`), else the market's `tv`, else 0.
 */
export function marketTradedVolume(market: MarketCache): number {
  let fromLadders = false;
  let total = 0;
  for (const runner of market.runners.values()) {
    if (runner.hasTradedLadder) fromLadders = true;
    total += runnerTradedVolume(runner);
  }
  if (fromLadders) return round2(total);
  return market.tv !== undefined && Number.isFinite(market.tv) ? market.tv : 0;
}

/** The runner's BSP: its definition `bsp` once the market's `bspReconciled` is true, else NaN. */
export function actualStartingPrice(market: MarketCache, runner: RunnerCache): number {
  const bsp = runner.definitionRunner?.bsp;
  if (market.definition?.bspReconciled !== true || bsp === undefined) return NaN;
  return streamNumber(bsp);
}

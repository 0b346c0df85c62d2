import type { MarketBook, RunnerStatus } from '../betfair-types.js';
import { epochDayOfMarketId } from './day-plan.js';
import { money } from './ladder.js';
import type { MarketPlan } from './market-plan.js';
import { hashUnit } from './noise.js';
import {
  isRemoved,
  marketHorses,
  marketProbabilities,
  marketWinners,
  startingPrice,
} from './pricing.js';
import type { BookProjection } from './projection.js';
import type { HorsePlan } from './race-plan.js';
import { availableMoney, runnerBook, type RunnerContext } from './runner-book.js';
import { marketTimes, phaseAt, type MarketPhase } from './timeline.js';

const DAY = 86_400_000;
/** Offer sizes change every ten seconds. */
const SIZE_BUCKET_MS = 10_000;

/** A market's listMarketBook entry at `now`, showing what `projection` asks for. */
export function marketBook(
  market: MarketPlan,
  seed: number,
  now: number,
  projection: BookProjection,
): MarketBook {
  const phase = phaseAt(market, now);
  const runners = runnerContexts(market, seed, now, phase);
  const active = runners.filter((r) => r.status !== 'REMOVED').length;
  const totalMatched = money(matchedSoFar(market, now, phase));
  return {
    marketId: market.marketId,
    isMarketDataDelayed: false,
    status: phase.status,
    betDelay: phase.inplay && phase.status === 'OPEN' ? 1 : 0,
    bspReconciled: phase.bspReconciled,
    complete: true,
    inplay: phase.inplay,
    numberOfWinners: market.numberOfWinners,
    numberOfRunners: runners.length,
    numberOfActiveRunners: active,
    ...(totalMatched > 0 ? { lastMatchTime: new Date(phase.lastTradeAt).toISOString() } : {}),
    totalMatched,
    totalAvailable: money(runners.reduce((sum, r) => sum + availableMoney(r), 0)),
    crossMatching: market.marketType !== 'MATCH_BET',
    runnersVoidable: false,
    version: versionAt(market, seed, now),
    runners: runners.map((r) => runnerBook(r, projection)),
  };
}

/** The money a market has matched by `now`: most of it in the last hours before the off. */
export function matchedSoFar(
  market: MarketPlan,
  now: number,
  phase = phaseAt(market, now),
): number {
  const listed = (epochDayOfMarketId(market.marketId) ?? 0) * DAY;
  const { off, turnInPlay } = marketTimes(market);
  const floor = market.marketType === 'ANTEPOST_WIN' ? 0.4 : 0.01;
  const build = Math.min(1, Math.max(0, (now - listed) / (off - listed))) ** 3;
  if (now < turnInPlay || !market.turnInPlayEnabled) {
    return market.volume * (floor + (0.85 - floor) * build);
  }
  return market.volume * (0.85 + 0.15 * phase.raceProgress);
}

function runnerContexts(
  market: MarketPlan,
  seed: number,
  now: number,
  phase: MarketPhase,
): RunnerContext[] {
  const horses = marketHorses(market);
  const probabilities = marketProbabilities(market, seed, now, phase.raceProgress);
  const preOff = marketProbabilities(market, seed, Math.min(now, market.race.off), 0);
  const winners = marketWinners(market);
  const matched = matchedSoFar(market, now, phase);
  const shares = volumeShares(horses);
  const bucket = Math.floor(now / SIZE_BUCKET_MS);
  return horses.map((horse) => {
    const probability = probabilities.get(horse.selectionId);
    const status = runnerStatus(horse, phase, now, winners);
    return {
      horse,
      status,
      ...(status === 'REMOVED'
        ? {}
        : { probability, preOffProbability: preOff.get(horse.selectionId) }),
      matched: matched * (shares.get(horse.selectionId) ?? 0),
      trading: phase.status === 'OPEN',
      liquidity: Math.max(2, market.volume * 0.002 * Math.sqrt(probability ?? 0)),
      seed,
      label: `${market.marketId}:${horse.selectionId}:${bucket}`,
      ...(market.bspMarket
        ? {
            sp: {
              reconciled: phase.bspReconciled,
              actualSP: startingPrice(market, seed, horse.selectionId),
            },
          }
        : {}),
    };
  });
}

function runnerStatus(
  horse: HorsePlan,
  phase: MarketPhase,
  now: number,
  winners: Set<number>,
): RunnerStatus {
  if (isRemoved(horse, now)) return 'REMOVED';
  if (phase.status !== 'CLOSED') return 'ACTIVE';
  return winners.has(horse.selectionId) ? 'WINNER' : 'LOSER';
}

/** Each runner's share of the market's matched money, fixed so every runner's total only grows. */
function volumeShares(horses: HorsePlan[]): Map<number, number> {
  const weights = horses.map((h) => [h.selectionId, h.probability ** 0.7] as const);
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  return new Map(weights.map(([id, w]) => [id, w / total]));
}

/** Betfair bumps a market's version whenever its definition changes. */
function versionAt(market: MarketPlan, seed: number, now: number): number {
  const t = marketTimes(market);
  const changes = [t.off, t.turnInPlay, t.finish, t.close].filter((at) => now >= at).length;
  const removals = market.race.runners.filter((h) => isRemoved(h, now)).length;
  return (
    1_000_000_000 +
    Math.floor(hashUnit(seed, `version:${market.marketId}`) * 1e8) * 10 +
    changes +
    removals
  );
}

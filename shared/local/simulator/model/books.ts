import type { StartingPrices } from '../../../betfair/market-schemas.js';
import type { RunnerStatus } from '../../../betfair/vocabulary.js';
import { hashUnit } from '../../generator/random.js';
import { priceAt } from '../../generator/runner-book.js';
import type {
  SimulatedExchangePrices,
  SimulatedMarketBook,
  SimulatedRunner,
} from '../market-types.js';
import {
  epochDayOfMarketId,
  marketTimes,
  phaseAt,
  type MarketPhase,
  type MarketPlan,
} from './day-plan.js';
import {
  bestBackTick,
  FULL_DEPTH,
  money,
  offersFor,
  tradedLadder,
  isRemoved,
  marketHorses,
  marketProbabilities,
  marketWinners,
  startingPrice,
} from './prices.js';
import type { HorsePlan } from './race.js';

/** Everything a runner's book needs, worked out once for the whole market. */
export interface RunnerContext {
  horse: HorsePlan;
  status: RunnerStatus;
  /** Current chance of winning this market; undefined for a non-runner. */
  probability?: number;
  /** The chance before the race was run, where most of the money was matched. */
  preOffProbability?: number;
  matched: number;
  /** Offers are shown only while the market is OPEN. */
  trading: boolean;
  liquidity: number;
  seed: number;
  /** Labels this runner's seeded sizes: market, selection and time bucket. */
  label: string;
  sp?: { reconciled: boolean; actualSP: number };
}

/** One runner of a listMarketBook answer with every price data and whole ladders. */
export function runnerBook(ctx: RunnerContext): SimulatedRunner {
  const { horse } = ctx;
  const book: SimulatedRunner = {
    selectionId: horse.selectionId,
    handicap: 0,
    status: ctx.status,
    adjustmentFactor: Math.round(horse.probability * 100_000) / 1000,
  };
  if (ctx.status === 'REMOVED' && horse.removedAt !== undefined) {
    book.removalDate = new Date(horse.removedAt).toISOString();
  } else if (ctx.probability !== undefined) {
    book.lastPriceTraded = priceAt(bestBackTick(ctx.probability));
    book.totalMatched = money(ctx.matched);
  }
  if (ctx.sp) book.sp = startingPrices(ctx);
  book.ex = exchangePrices(ctx);
  return book;
}

/** Money on offer at the runner's full ladder, for the market's totalAvailable. */
export function availableMoney(ctx: RunnerContext): number {
  if (!ctx.trading || ctx.probability === undefined) return 0;
  const offers = offersFor({ ...ctx, probability: ctx.probability });
  return [...offers.availableToBack, ...offers.availableToLay].reduce((sum, l) => sum + l.size, 0);
}

function exchangePrices(ctx: RunnerContext): SimulatedExchangePrices {
  const depth = ctx.trading ? FULL_DEPTH : 0;
  const live = ctx.probability !== undefined && ctx.status === 'ACTIVE';
  const offers =
    live && depth > 0 ? offersFor({ ...ctx, probability: ctx.probability ?? 0 }) : undefined;
  const traded = live
    ? tradedLadder(bestBackTick(ctx.preOffProbability ?? ctx.probability ?? 0), ctx.matched)
    : [];
  return {
    availableToBack: offers?.availableToBack.slice(0, depth) ?? [],
    availableToLay: offers?.availableToLay.slice(0, depth) ?? [],
    tradedVolume: traded,
  };
}

/** SP_AVAILABLE shows the money in the BSP auction; SP_TRADED the projected and actual SP. */
function startingPrices(ctx: RunnerContext): StartingPrices {
  const sp: StartingPrices = {};
  const active = ctx.probability !== undefined || ctx.status === 'WINNER' || ctx.status === 'LOSER';
  const { reconciled, actualSP } = ctx.sp ?? { reconciled: false, actualSP: 0 };
  const near = reconciled ? actualSP : nearPrice(ctx);
  if (active) {
    sp.nearPrice = near;
    sp.farPrice = reconciled ? actualSP : Math.max(1.01, Math.round(near * 110) / 100);
    if (reconciled) sp.actualSP = actualSP;
  }
  // Betfair writes a non-runner's starting price as the string "NaN".
  if (!active && reconciled) sp.actualSP = 'NaN';
  const size = (side: string) =>
    money(ctx.liquidity * 2 * hashUnit(ctx.seed, `${ctx.label}:${side}`));
  sp.backStakeTaken = active ? [{ price: 1.01, size: size('bst') }] : [];
  sp.layLiabilityTaken = active ? [{ price: 1000, size: size('llt') }] : [];
  return sp;
}

function nearPrice(ctx: RunnerContext): number {
  const p = ctx.probability ?? 0.001;
  return Math.min(1000, Math.max(1.01, Math.round((1 / p) * 100) / 100));
}

const DAY = 86_400_000;
/** Offer sizes change every ten seconds. */
const SIZE_BUCKET_MS = 10_000;

/**
 * A market's listMarketBook entry at `now` with every price data and whole ladders (the
 * betting operations cut it down to the projection asked for).
 */
export function marketBook(market: MarketPlan, seed: number, now: number): SimulatedMarketBook {
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
    runners: runners.map(runnerBook),
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

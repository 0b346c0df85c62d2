import type { ExchangePrices, RunnerBook, RunnerStatus, StartingPrices } from '../betfair-types.js';
import { priceAt } from '../../generator/price-ladder.js';
import { bestBackTick, FULL_DEPTH, money, offersFor, tradedLadder } from './ladder.js';
import { hashUnit } from './noise.js';
import { offerDepth, wantsExchange, type BookProjection } from './projection.js';
import type { HorsePlan } from './race-plan.js';

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

/** One runner of a listMarketBook answer, showing what `projection` asks for. */
export function runnerBook(ctx: RunnerContext, projection: BookProjection): RunnerBook {
  const { horse } = ctx;
  const book: RunnerBook = {
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
  if (
    ctx.sp &&
    (projection.priceData.has('SP_AVAILABLE') || projection.priceData.has('SP_TRADED'))
  ) {
    book.sp = startingPrices(ctx, projection);
  }
  if (wantsExchange(projection)) book.ex = exchangePrices(ctx, projection);
  return book;
}

/** Money on offer at the runner's full ladder, for the market's totalAvailable. */
export function availableMoney(ctx: RunnerContext): number {
  if (!ctx.trading || ctx.probability === undefined) return 0;
  const offers = offersFor({ ...ctx, probability: ctx.probability });
  return [...offers.availableToBack, ...offers.availableToLay].reduce((sum, l) => sum + l.size, 0);
}

function exchangePrices(ctx: RunnerContext, projection: BookProjection): ExchangePrices {
  const depth = ctx.trading ? offerDepth(projection, FULL_DEPTH) : 0;
  const live = ctx.probability !== undefined && ctx.status === 'ACTIVE';
  const offers =
    live && depth > 0 ? offersFor({ ...ctx, probability: ctx.probability ?? 0 }) : undefined;
  const traded =
    live && projection.priceData.has('EX_TRADED')
      ? tradedLadder(bestBackTick(ctx.preOffProbability ?? ctx.probability ?? 0), ctx.matched)
      : [];
  return {
    availableToBack: offers?.availableToBack.slice(0, depth) ?? [],
    availableToLay: offers?.availableToLay.slice(0, depth) ?? [],
    tradedVolume: traded,
  };
}

/** SP_AVAILABLE shows the money in the BSP auction; SP_TRADED the projected and actual SP. */
function startingPrices(ctx: RunnerContext, projection: BookProjection): StartingPrices {
  const sp: StartingPrices = {};
  const active = ctx.probability !== undefined || ctx.status === 'WINNER' || ctx.status === 'LOSER';
  const { reconciled, actualSP } = ctx.sp ?? { reconciled: false, actualSP: 0 };
  const near = reconciled ? actualSP : nearPrice(ctx);
  if (projection.priceData.has('SP_TRADED') && active) {
    sp.nearPrice = near;
    sp.farPrice = reconciled ? actualSP : Math.max(1.01, Math.round(near * 110) / 100);
    if (reconciled) sp.actualSP = actualSP;
  }
  // Betfair writes a non-runner's starting price as the string "NaN".
  if (projection.priceData.has('SP_TRADED') && !active && reconciled) sp.actualSP = 'NaN';
  if (projection.priceData.has('SP_AVAILABLE')) {
    const size = (side: string) =>
      money(ctx.liquidity * 2 * hashUnit(ctx.seed, `${ctx.label}:${side}`));
    sp.backStakeTaken = active ? [{ price: 1.01, size: size('bst') }] : [];
    sp.layLiabilityTaken = active ? [{ price: 1000, size: size('llt') }] : [];
  }
  return sp;
}

function nearPrice(ctx: RunnerContext): number {
  const p = ctx.probability ?? 0.001;
  return Math.min(1000, Math.max(1.01, Math.round((1 / p) * 100) / 100));
}

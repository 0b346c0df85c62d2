import type { MarketPlan } from './market-plan.js';
import { hashUnit, wobble } from './noise.js';
import type { HorsePlan } from './race-plan.js';
import { marketTimes } from './timeline.js';

const HOUR = 3_600_000;

/** The horses a market offers, in the race's order (its sortPriority). */
export function marketHorses(market: MarketPlan): HorsePlan[] {
  return market.race.runners.filter((r) => market.selectionIds.includes(r.selectionId));
}

/** True once a non-runner has been withdrawn. */
export function isRemoved(horse: HorsePlan, now: number): boolean {
  return horse.removedAt !== undefined && now >= horse.removedAt;
}

/** The runners that win this market: the best-placed `numberOfWinners` that ran. */
export function marketWinners(market: MarketPlan): Set<number> {
  const ran = marketHorses(market).filter((h) => h.finishPosition > 0);
  ran.sort((a, b) => a.finishPosition - b.finishPosition);
  return new Set(ran.slice(0, market.numberOfWinners).map((h) => h.selectionId));
}

/**
 * Each active runner's chance of winning this market at `now`: the opening book drifting and
 * wobbling until the off, then pulled towards the result as the race is run.
 */
export function marketProbabilities(
  market: MarketPlan,
  seed: number,
  now: number,
  raceProgress: number,
): Map<number, number> {
  const active = marketHorses(market).filter((h) => !isRemoved(h, now));
  const win = winProbabilities(market, active, seed, Math.min(now, market.race.off));
  const shaped = shapeForMarket(market, win);
  if (raceProgress <= 0) return shaped;
  const winners = marketWinners(market);
  const pull = raceProgress ** 2;
  return new Map(
    [...shaped].map(([id, p]) => [
      id,
      p * (1 - pull) + (winners.has(id) ? 1 / winners.size : 0) * pull,
    ]),
  );
}

/** A runner's Betfair Starting Price: its fair price at the off, give or take a little. */
export function startingPrice(market: MarketPlan, seed: number, selectionId: number): number {
  const p = marketProbabilities(market, seed, marketTimes(market).off, 0).get(selectionId);
  if (p === undefined) return 1000;
  const jitter = 1 + (hashUnit(seed, `sp:${market.marketId}:${selectionId}`) - 0.5) * 0.06;
  return Math.min(1000, Math.max(1.01, Math.round((jitter / p) * 100) / 100));
}

function winProbabilities(
  market: MarketPlan,
  active: HorsePlan[],
  seed: number,
  at: number,
): Map<number, number> {
  // The drift plays out over the last six hours before the off.
  const ramp = Math.min(1, Math.max(0, 1 - (market.race.off - at) / (6 * HOUR)));
  const weights = active.map((h) => {
    const logit = Math.log(h.probability / (1 - h.probability));
    const moved =
      logit + h.drift * ramp + 0.15 * wobble(seed, `${market.race.key}:${h.selectionId}`, at);
    return [h.selectionId, Math.exp(moved)] as const;
  });
  const total = weights.reduce((sum, [, w]) => sum + w / (1 + w), 0);
  return new Map(weights.map(([id, w]) => [id, w / (1 + w) / total]));
}

function shapeForMarket(market: MarketPlan, win: Map<number, number>): Map<number, number> {
  switch (market.marketType) {
    case 'PLACE':
    case 'OTHER_PLACE':
      return placeProbabilities(win, market.numberOfWinners);
    case 'MATCH_BET': {
      const total = [...win.values()].reduce((a, b) => a + b, 0);
      return new Map([...win].map(([id, p]) => [id, p / total]));
    }
    default:
      return win;
  }
}

/** Chances of finishing in the first `places`, scaled so they add up to `places`. */
function placeProbabilities(win: Map<number, number>, places: number): Map<number, number> {
  if (places >= win.size) return new Map([...win.keys()].map((id) => [id, 0.99]));
  const raw = new Map([...win].map(([id, p]) => [id, 1 - (1 - p) ** (places + 0.3)]));
  const scale = places / [...raw.values()].reduce((a, b) => a + b, 0);
  return new Map([...raw].map(([id, q]) => [id, Math.min(0.99, q * scale)]));
}

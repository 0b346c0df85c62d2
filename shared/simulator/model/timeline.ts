import type { MarketStatus } from '../betfair-types.js';
import type { MarketPlan } from './market-plan.js';

/** Seconds a market stays suspended at the off before it turns in play. */
export const SUSPEND_AT_OFF_SECONDS = 30;

/** Where a market is in its life at one instant. */
export interface MarketPhase {
  status: MarketStatus;
  inplay: boolean;
  /** The BSP has been worked out (only BSP markets, from the turn in play). */
  bspReconciled: boolean;
  /** 0 before the race is run, rising to 1 at the finish. */
  raceProgress: number;
  /** When prices last changed: now while trading, else the moment trading stopped. */
  lastTradeAt: number;
}

/** The instants that divide a market's life, epoch ms. */
export interface MarketTimes {
  off: number;
  turnInPlay: number;
  finish: number;
  close: number;
}

/** The times of the off, the turn in play, the finish and settlement. */
export function marketTimes(market: MarketPlan): MarketTimes {
  const { off, runSeconds, settleSeconds } = market.race;
  const turnInPlay = off + SUSPEND_AT_OFF_SECONDS * 1000;
  const finish = turnInPlay + runSeconds * 1000;
  return { off, turnInPlay, finish, close: finish + settleSeconds * 1000 };
}

/**
 * OPEN before the off; SUSPENDED at the off; back OPEN and in play while the race is run (only
 * markets that turn in play); SUSPENDED from the finish until settled; then CLOSED.
 */
export function phaseAt(market: MarketPlan, now: number): MarketPhase {
  const t = marketTimes(market);
  const reconciled = market.bspMarket && now >= t.turnInPlay;
  const inPlayMarket = market.turnInPlayEnabled;
  const progress = Math.min(1, Math.max(0, (now - t.turnInPlay) / (t.finish - t.turnInPlay)));
  const phase = (status: MarketStatus, inplay: boolean, lastTradeAt: number): MarketPhase => ({
    status,
    inplay,
    bspReconciled: reconciled,
    raceProgress: progress,
    lastTradeAt,
  });
  if (now < t.off) return phase('OPEN', false, now);
  if (now < t.turnInPlay || !inPlayMarket) {
    return phase(now < t.close ? 'SUSPENDED' : 'CLOSED', false, t.off);
  }
  if (now < t.finish) return phase('OPEN', true, now);
  return phase(now < t.close ? 'SUSPENDED' : 'CLOSED', true, t.finish);
}

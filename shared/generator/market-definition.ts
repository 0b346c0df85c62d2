import type { MarketPlan } from './race-plan.js';

/** Betfair's historical data tiers; the generator writes BASIC and PRO. */
export const TIERS = ['BASIC', 'PRO'] as const;
export type Tier = (typeof TIERS)[number];

export const MARKET_STATUSES = ['OPEN', 'SUSPENDED', 'CLOSED'] as const;
export type MarketStatus = (typeof MARKET_STATUSES)[number];

export const RUNNER_STATUSES = ['ACTIVE', 'REMOVED', 'WINNER', 'LOSER'] as const;
export type RunnerStatus = (typeof RUNNER_STATUSES)[number];

/** What changes in a market's definition over its life. */
export interface MarketState {
  status: MarketStatus;
  inPlay: boolean;
  bspReconciled: boolean;
  version: number;
  settledTime?: Date;
  runners: RunnerState[];
}

/** One runner as the market definition lists it. */
export interface RunnerState {
  id: number;
  name: string;
  sortPriority: number;
  status: RunnerStatus;
  /** Percentage deducted from matched bets if another runner is removed (horse racing). */
  adjustmentFactor: number;
  removalDate?: Date;
  bsp?: number;
}

/**
 * The full marketDefinition in the key order Betfair's files use. As in the vendor's PRO
 * files, market, event and runner names only appear once the market is CLOSED; BASIC files
 * carry them from the start.
 */
export function marketDefinition(plan: MarketPlan, state: MarketState, tier: Tier): object {
  const named = tier === 'BASIC' || state.status === 'CLOSED';
  const active = state.runners.filter((r) => r.status === 'ACTIVE').length;
  return {
    bspMarket: true,
    turnInPlayEnabled: true,
    persistenceEnabled: true,
    marketBaseRate: 5,
    eventId: plan.eventId,
    eventTypeId: '7',
    numberOfWinners: plan.numberOfWinners,
    bettingType: 'ODDS',
    marketType: plan.marketType,
    marketTime: isoTime(plan.marketTime),
    suspendTime: isoTime(plan.marketTime),
    bspReconciled: state.bspReconciled,
    complete: true,
    inPlay: state.inPlay,
    crossMatching: state.status !== 'CLOSED',
    runnersVoidable: false,
    numberOfActiveRunners: state.status === 'CLOSED' ? 0 : active,
    betDelay: state.inPlay ? 1 : 0,
    status: state.status,
    ...(state.settledTime && { settledTime: isoTime(state.settledTime) }),
    runners: state.runners.map((runner) => runnerDefinition(runner, named)),
    regulators: ['MR_INT'],
    venue: plan.venue.venue,
    countryCode: plan.venue.countryCode,
    discountAllowed: true,
    timezone: plan.venue.timezone,
    openDate: isoTime(plan.openDate),
    version: state.version,
    ...(tier === 'PRO' &&
      state.status !== 'CLOSED' && { priceLadderDefinition: { type: 'CLASSIC' } }),
    ...(named && { name: plan.name, eventName: plan.eventName }),
  };
}

function runnerDefinition(runner: RunnerState, named: boolean): object {
  return {
    adjustmentFactor: runner.adjustmentFactor,
    status: runner.status,
    sortPriority: runner.sortPriority,
    ...(runner.removalDate && { removalDate: isoTime(runner.removalDate, true) }),
    ...(runner.bsp !== undefined && { bsp: runner.bsp }),
    id: runner.id,
    ...(named && { name: runner.name }),
  };
}

/** Betfair's timestamp form, `2022-04-19T18:26:00.000Z`; `wholeSeconds` drops the milliseconds. */
export function isoTime(time: Date, wholeSeconds = false): string {
  const ms = wholeSeconds ? Math.floor(time.getTime() / 1000) * 1000 : time.getTime();
  return new Date(ms).toISOString();
}

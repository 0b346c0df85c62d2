import { type BetfairTier, HORSE_RACING } from '../../betfair/vocabulary.js';
import type { MarketPlan } from './markets.js';
import type { Rng } from './random.js';
import {
  type MarketState,
  type RunnerState,
  type StreamEvent,
  simulateMarket,
  type TimelineOptions,
} from './simulation.js';

/** The historical data tiers the generator writes. */
export const GENERATED_TIERS = ['BASIC', 'PRO'] as const satisfies readonly BetfairTier[];
export type GeneratedTier = (typeof GENERATED_TIERS)[number];

/**
 * The full marketDefinition in the key order Betfair's files use. As in the vendor's PRO
 * files, market, event and runner names only appear once the market is CLOSED; BASIC files
 * carry them from the start.
 */
export function marketDefinition(
  plan: MarketPlan,
  state: MarketState,
  tier: GeneratedTier,
): object {
  const named = tier === 'BASIC' || state.status === 'CLOSED';
  const active = state.runners.filter((r) => r.status === 'ACTIVE').length;
  return {
    bspMarket: true,
    turnInPlayEnabled: true,
    persistenceEnabled: true,
    marketBaseRate: 5,
    eventId: plan.eventId,
    eventTypeId: HORSE_RACING.id,
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

/** Writes PRO-tier lines: every event, with the vendor's base64 `clk` tokens. */
export function renderPro(plan: MarketPlan, events: StreamEvent[], rng: Rng): string[] {
  const clocks = [0, 0, 0];
  return events.map((event, index) => {
    if (index > 0)
      for (let i = 0; i < clocks.length; i++) clocks[i] = (clocks[i] ?? 0) + rng.int(1, 400);
    const change = {
      id: plan.marketId,
      ...(event.definition && {
        marketDefinition: marketDefinition(plan, event.definition, 'PRO'),
      }),
      ...(event.rc.length > 0 && { rc: event.rc }),
      ...(event.img && { img: true }),
      ...(event.tv !== undefined && { tv: event.tv }),
    };
    return line(proClock(clocks), event.pt, change);
  });
}

/**
 * Writes BASIC-tier lines: market definitions as they come, and last traded prices conflated
 * to at most one message a minute, the way the vendor samples BASIC data.
 */
export function renderBasic(plan: MarketPlan, events: StreamEvent[], rng: Rng): string[] {
  let clk = 3_500_000_000 + rng.int(0, 99_999_999);
  let lastPt = -Infinity;
  const pending = new Map<number, number>();
  const lines: string[] = [];
  const flush = (pt: number, definition?: object): void => {
    const rc = [...pending].map(([id, ltp]) => ({ ltp, id }));
    pending.clear();
    if (rc.length === 0 && !definition) return;
    clk += rng.int(1, 50_000);
    lines.push(
      line(String(clk), pt, {
        id: plan.marketId,
        ...(definition && { marketDefinition: definition }),
        ...(rc.length > 0 && { rc }),
      }),
    );
    lastPt = pt;
  };
  for (const event of events) {
    for (const change of event.rc) if (change.ltp !== undefined) pending.set(change.id, change.ltp);
    if (event.definition) flush(event.pt, marketDefinition(plan, event.definition, 'BASIC'));
    else if (event.pt - lastPt >= 60_000) flush(event.pt);
  }
  return lines;
}

function line(clk: string, pt: number, change: object): string {
  return JSON.stringify({ op: 'mcm', clk, pt, mc: [change] });
}

/** The PRO clock token: per partition a zero byte and the counter as a LEB128 varint, base64. */
export function proClock(counters: number[]): string {
  const bytes: number[] = [];
  for (const counter of counters) {
    bytes.push(0);
    let value = counter;
    do {
      const low = value % 128;
      value = Math.floor(value / 128);
      bytes.push(value > 0 ? low | 0x80 : low);
    } while (value > 0);
  }
  return Buffer.from(bytes).toString('base64');
}

/** What to write for one market. */
export interface MarketStreamOptions extends TimelineOptions {
  market: MarketPlan;
  tier: GeneratedTier;
}

/**
 * The lines of one market's historical file (no line breaks): Exchange Stream `mcm` messages
 * from the first full marketDefinition to the CLOSED one with the result. Pure: the same
 * options and a generator in the same state give the same lines.
 */
export function marketStream(options: MarketStreamOptions, rng: Rng): string[] {
  const events = simulateMarket(options.market, options, rng);
  const render = options.tier === 'BASIC' ? renderBasic : renderPro;
  return render(options.market, events, rng);
}

import type { MarketStatus, RunnerStatus } from '../../betfair/vocabulary.js';
import type { MarketPlan, RunnerPlan } from './markets.js';
import type { Rng } from './random.js';
import {
  nearestTick,
  priceAt,
  clearOffers,
  image,
  newBook,
  requote,
  trade,
  type RunnerBook,
  type RunnerChange,
  MAX_TICK,
} from './runner-book.js';

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

/** One market change message before it is written out. */
export interface StreamEvent {
  pt: number;
  /** The market as it stood when its definition changed: written out as the marketDefinition. */
  definition?: MarketState;
  rc: RunnerChange[];
  /** True on the first message: a full image rather than a delta. */
  img?: boolean;
  /** Market traded volume, present when something traded. */
  tv?: number;
}

/** The simulation of one market, advanced phase by phase (see simulateMarket). */
export interface MarketSim {
  plan: MarketPlan;
  rng: Rng;
  state: MarketState;
  books: Map<number, RunnerBook>;
  /** The tick each runner's price wanders around. */
  fair: Map<number, number>;
  events: StreamEvent[];
}

/** A simulation with every runner ACTIVE and no offers yet. */
export function newSim(plan: MarketPlan, rng: Rng): MarketSim {
  const runners: RunnerState[] = plan.runners.map((r, i) => ({
    id: r.selectionId,
    name: r.name,
    sortPriority: i + 1,
    status: 'ACTIVE',
    adjustmentFactor: round2(r.probability * 100),
  }));
  const fair = new Map(
    plan.runners.map((r) => [r.selectionId, nearestTick(openingPrice(plan, r))]),
  );
  const books = new Map(plan.runners.map((r) => [r.selectionId, newBook(r.selectionId, 0)]));
  const version = 4_400_000_000 + rng.int(0, 99_999_999);
  const state: MarketState = {
    status: 'OPEN',
    inPlay: false,
    bspReconciled: false,
    version,
    runners,
  };
  return { plan, rng, state, books, fair, events: [] };
}

/** Appends a message at `pt` (kept after the previous one); `withDefinition` adds the marketDefinition. */
export function emit(sim: MarketSim, pt: number, rc: RunnerChange[], withDefinition = false): void {
  const last = sim.events.at(-1)?.pt ?? -Infinity;
  const event: StreamEvent = { pt: Math.max(Math.round(pt), last + 1), rc };
  if (withDefinition) {
    sim.state.version += sim.rng.int(1, 5000);
    event.definition = structuredClone(sim.state);
  }
  if (rc.some((change) => change.tv !== undefined)) event.tv = marketVolume(sim);
  sim.events.push(event);
}

/** Quotes every active runner at its fair tick and emits the full image with the definition. */
export function emitImage(sim: MarketSim, pt: number): void {
  for (const runner of activeRunners(sim)) {
    requote(book(sim, runner.id), sim.fair.get(runner.id) ?? 0, sim.rng);
  }
  emit(
    sim,
    pt,
    activeRunners(sim).map((r) => image(book(sim, r.id))),
    true,
  );
  const first = sim.events.at(-1);
  if (first) first.img = true;
}

/** Moves one runner's price to `tick`, maybe trading; returns its change. */
export function move(
  sim: MarketSim,
  id: number,
  tick: number,
  tradeChance: number,
  scale: number,
  withProjectedSp = false,
): RunnerChange {
  const runnerBook = book(sim, id);
  // Trade at the prices on offer before the move; keys in the vendor's order, id last.
  const traded = sim.rng.chance(tradeChance) ? trade(runnerBook, scale, sim.rng) : {};
  const quoted = requote(runnerBook, tick, sim.rng);
  const projected = withProjectedSp ? projectedSp(sim, runnerBook.tick) : {};
  return { ...quoted, ...traded, ...projected, id };
}

/** The projected starting prices: `spn` (near) and `spf` (far), close to the current price. */
function projectedSp(sim: MarketSim, tick: number): Pick<RunnerChange, 'spn' | 'spf'> {
  const price = priceAt(tick);
  const near = Math.max(1.01, round2(price * (0.95 + sim.rng.next() * 0.1)));
  const far = Math.max(1.01, round2(price * (0.9 + sim.rng.next() * 0.2)));
  return { spn: near, spf: far };
}

/** Zero-size deltas withdrawing every offer on every runner that has any. */
export function clearAll(sim: MarketSim): RunnerChange[] {
  return sim.state.runners
    .map((r) => clearRunner(sim, r.id))
    .filter((change) => change.atb !== undefined || change.atl !== undefined);
}

/** Zero-size deltas withdrawing one runner's offers. */
export function clearRunner(sim: MarketSim, id: number): RunnerChange {
  return { ...clearOffers(book(sim, id)), id };
}

/** Runners still ACTIVE. */
export function activeRunners(sim: MarketSim): RunnerState[] {
  return sim.state.runners.filter((r) => r.status === 'ACTIVE');
}

/** The plan of a runner (its finishing position and removal time). */
export function runnerPlan(sim: MarketSim, id: number): RunnerPlan {
  const plan = sim.plan.runners.find((r) => r.selectionId === id);
  if (!plan) throw new RangeError(`no runner ${id} in market ${sim.plan.marketId}`);
  return plan;
}

/** The Betfair SP of a runner: close to its last price, two decimals. */
export function startingPrice(sim: MarketSim, id: number): number {
  const price = priceAt(book(sim, id).tick) * (0.95 + sim.rng.next() * 0.1);
  return Math.min(1000, Math.max(1.01, round2(price)));
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function book(sim: MarketSim, id: number): RunnerBook {
  const found = sim.books.get(id);
  if (!found) throw new RangeError(`no book for runner ${id}`);
  return found;
}

function marketVolume(sim: MarketSim): number {
  let pence = 0;
  for (const b of sim.books.values()) pence += b.tvPence;
  return pence / 100;
}

/** Decimal odds a runner opens at: win odds, or roughly the odds of finishing in the places. */
function openingPrice(plan: MarketPlan, runner: RunnerPlan): number {
  if (plan.marketType === 'WIN') return 1 / runner.probability;
  const place = Math.min(0.95, runner.probability * plan.numberOfWinners * 0.95 + 0.02);
  return 1 / place;
}

/** How much of a market's life to write. */
export interface TimelineOptions {
  /** Price updates to write, roughly; 70 % before the off, the rest in play. */
  updates: number;
  /** How long before the scheduled off the stream starts. */
  preOffMinutes: number;
}

const SECOND = 1000;

/**
 * A market's whole life: OPEN before the off (with any non-runner withdrawn), SUSPENDED at the
 * off, OPEN in play with BSP reconciled, SUSPENDED at the finish, then CLOSED with the result.
 */
export function simulateMarket(
  plan: MarketPlan,
  options: TimelineOptions,
  rng: Rng,
): StreamEvent[] {
  const sim = newSim(plan, rng);
  const off = plan.marketTime.getTime() + rng.int(0, 150 * SECOND);
  const preOffUpdates = Math.max(1, Math.round(options.updates * 0.7));
  emitImage(sim, plan.marketTime.getTime() - options.preOffMinutes * 60 * SECOND);
  preOff(sim, off, preOffUpdates);
  emit(sim, off, clearAll(sim), markSuspended(sim));
  const finish = inPlay(
    sim,
    off + rng.int(SECOND, 3 * SECOND),
    Math.max(1, options.updates - preOffUpdates),
  );
  sim.state.status = 'SUSPENDED';
  emit(sim, finish, clearAll(sim), true);
  settle(sim, finish + rng.int(60 * SECOND, 300 * SECOND));
  return sim.events;
}

function preOff(sim: MarketSim, off: number, updates: number): void {
  const start = sim.events[0]?.pt ?? off;
  const span = off - start - 5 * SECOND;
  for (let i = 1; i <= updates; i++) {
    const x = i / updates;
    // Updates come thicker as the off approaches, as betting does.
    const pt = start + span * (1 - (1 - x) ** 2);
    withdrawNonRunners(sim, x, pt);
    const changes = pickRunners(sim, 3).map((runner) => {
      // The price a runner wanders around itself drifts a little, as money comes for it or not.
      const fair = (sim.fair.get(runner.id) ?? 0) + (sim.rng.chance(0.2) ? sim.rng.int(-1, 1) : 0);
      sim.fair.set(runner.id, fair);
      const tick = fair + sim.rng.int(-2, 2);
      return move(sim, runner.id, tick, 0.5, 1 + 4 * x, x > 0.8);
    });
    emit(sim, pt, changes);
  }
}

function withdrawNonRunners(sim: MarketSim, progress: number, pt: number): void {
  for (const runner of activeRunners(sim)) {
    const removedAt = runnerPlan(sim, runner.id).removedAt;
    if (removedAt === undefined || removedAt > progress) continue;
    runner.status = 'REMOVED';
    runner.removalDate = new Date(pt);
    emit(sim, pt, [clearRunner(sim, runner.id)], true);
  }
}

function markSuspended(sim: MarketSim): boolean {
  sim.state.status = 'SUSPENDED';
  return true;
}

/** In-play trading: placed runners shorten towards 1.01, the rest drift to 1000. Returns the finish time. */
function inPlay(sim: MarketSim, start: number, updates: number): number {
  sim.state.status = 'OPEN';
  sim.state.inPlay = true;
  sim.state.bspReconciled = true;
  for (const runner of activeRunners(sim)) runner.bsp = startingPrice(sim, runner.id);
  emitImage(sim, start);
  const duration = sim.rng.int(60, 300) * SECOND;
  const from = new Map(sim.fair);
  for (let i = 1; i <= updates; i++) {
    const progress = i / updates;
    const changes = pickRunners(sim, 4).map((runner) => {
      const placed = runnerPlan(sim, runner.id).finishPosition <= sim.plan.numberOfWinners;
      const origin = from.get(runner.id) ?? 0;
      const target = placed ? 0 : MAX_TICK;
      const tick = origin + (target - origin) * progress ** 3 + sim.rng.int(-2, 2);
      return move(sim, runner.id, tick, 0.7, 3);
    });
    emit(sim, start + duration * progress, changes);
  }
  return start + duration + sim.rng.int(SECOND, 4 * SECOND);
}

function settle(sim: MarketSim, pt: number): void {
  sim.state.status = 'CLOSED';
  sim.state.settledTime = new Date(Math.floor(pt / SECOND) * SECOND - 30 * SECOND);
  for (const runner of activeRunners(sim)) {
    const placed = runnerPlan(sim, runner.id).finishPosition <= sim.plan.numberOfWinners;
    runner.status = placed ? 'WINNER' : 'LOSER';
  }
  emit(sim, pt, [], true);
}

/** Up to `max` distinct active runners, in a random order. */
function pickRunners(sim: MarketSim, max: number) {
  const pool = activeRunners(sim);
  const count = sim.rng.int(1, Math.min(max, pool.length));
  const picked = [];
  for (let i = 0; i < count; i++) picked.push(...pool.splice(sim.rng.int(0, pool.length - 1), 1));
  return picked;
}

import type { Tier } from './market-definition.js';
import {
  activeRunners,
  clearAll,
  clearRunner,
  emit,
  emitImage,
  move,
  newSim,
  runnerPlan,
  startingPrice,
  type MarketSim,
  type StreamEvent,
} from './market-sim.js';
import { MAX_TICK } from './price-ladder.js';
import type { MarketPlan } from './race-plan.js';
import type { Rng } from './rng.js';

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
  tier: Tier,
  options: TimelineOptions,
  rng: Rng,
): StreamEvent[] {
  const sim = newSim(plan, tier, rng);
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

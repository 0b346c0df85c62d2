import type {
  LevelPriceSizeTriple,
  MarketChange,
  PriceSizePair,
  RunnerChange,
  StreamNumber,
} from '../../../engine/stream/stream-message.js';

const PRICE_LADDERS = ['atb', 'atl', 'trd', 'spb', 'spl'] as const;
const LEVEL_LADDERS = ['batb', 'batl', 'bdatb', 'bdatl'] as const;
const SCALARS = ['ltp', 'tv', 'spn', 'spf'] as const;

/**
 * What changed from one full image of a market to the next, as a stream market change: the
 * definition whole when any of it changed, the market `tv`, and per runner only the ladder keys
 * whose size changed (a size of 0 for a key that went) and the scalars that changed. Undefined
 * when nothing changed. `'image'` when the change cannot be written as a delta — a runner or a
 * scalar disappeared, or the ladders switched kind — so the caller writes `next` whole.
 */
export function marketDelta(
  previous: MarketChange,
  next: MarketChange,
): MarketChange | 'image' | undefined {
  const delta: MarketChange = { id: next.id };
  if (!sameJson(previous.marketDefinition, next.marketDefinition) && next.marketDefinition) {
    delta.marketDefinition = next.marketDefinition;
  }
  if (next.tv !== undefined && !sameNumber(previous.tv, next.tv)) delta.tv = next.tv;
  else if (next.tv === undefined && previous.tv !== undefined) return 'image';
  const before = new Map((previous.rc ?? []).map((runner) => [key(runner), runner]));
  const after = next.rc ?? [];
  if (after.length < before.size) return 'image';
  const changes: RunnerChange[] = [];
  for (const runner of after) {
    const old = before.get(key(runner));
    if (old === undefined) {
      changes.push(runner);
      continue;
    }
    const change = runnerDelta(old, runner);
    if (change === 'image') return 'image';
    if (change !== undefined) changes.push(change);
  }
  if (changes.length > 0) delta.rc = changes;
  return Object.keys(delta).length > 1 ? delta : undefined;
}

function runnerDelta(
  previous: RunnerChange,
  next: RunnerChange,
): RunnerChange | 'image' | undefined {
  const change: RunnerChange = { id: next.id };
  if (next.hc !== undefined) change.hc = next.hc;
  const base = Object.keys(change).length;
  for (const field of [...PRICE_LADDERS, ...LEVEL_LADDERS]) {
    if ((previous[field] === undefined) !== (next[field] === undefined)) return 'image';
  }
  for (const field of PRICE_LADDERS) {
    const diff = priceDiff(previous[field], next[field]);
    if (diff.length > 0) change[field] = diff;
  }
  for (const field of LEVEL_LADDERS) {
    const diff = levelDiff(previous[field], next[field]);
    if (diff.length > 0) change[field] = diff;
  }
  for (const field of SCALARS) {
    const value = next[field];
    if (value === undefined) {
      if (previous[field] !== undefined) return 'image';
    } else if (!sameNumber(previous[field], value)) {
      change[field] = value;
    }
  }
  return Object.keys(change).length > base ? change : undefined;
}

function priceDiff(
  previous: readonly PriceSizePair[] = [],
  next: readonly PriceSizePair[] = [],
): PriceSizePair[] {
  const old = new Map(previous.map(([price, size]) => [price, size]));
  const diff: PriceSizePair[] = [];
  for (const [price, size] of next) {
    if (old.get(price) !== size) diff.push([price, size]);
    old.delete(price);
  }
  for (const price of old.keys()) diff.push([price, 0]);
  return diff;
}

function levelDiff(
  previous: readonly LevelPriceSizeTriple[] = [],
  next: readonly LevelPriceSizeTriple[] = [],
): LevelPriceSizeTriple[] {
  const old = new Map(previous.map(([level, price, size]) => [level, [price, size]]));
  const diff: LevelPriceSizeTriple[] = [];
  for (const [level, price, size] of next) {
    const was = old.get(level);
    if (was?.[0] !== price || was[1] !== size) diff.push([level, price, size]);
    old.delete(level);
  }
  for (const level of old.keys()) diff.push([level, 0, 0]);
  return diff;
}

function key(runner: RunnerChange): string {
  return `${runner.id}:${runner.hc ?? 0}`;
}

function sameNumber(a: StreamNumber | undefined, b: StreamNumber | undefined): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

import { round2, type PriceLadder } from './ladders.js';
import type { MarketCache } from './market-cache.js';
import { type BarsRow, DEFAULT_BAR_MS } from './bars-table.js';
import type { ChangeHeader, StreamObserver } from './stream-engine.js';
import { runnerKey } from './stream-message.js';

// The `bars` product. After each change, every runner whose traded ladder may have changed
// (its `changes` count moved) is compared with the largest size seen so far at each price; an
// increase is a trade of that size at that price, at the change's pt. Keeping the largest size,
// never a smaller later one, means the suspension's zeroing of every traded level (and a full
// image that rebuilds the ladders) is never mistaken for new trading. Sizes already on a
// market's first change are trades made before the file began, at no known time: they set the
// baseline and make no bar.

export interface BarsOptions {
  /** Interval length in milliseconds; default 60 s. */
  intervalMs?: number;
}

interface OpenBar {
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  trades: number;
}

interface RunnerBars {
  selectionId: number;
  /** The largest traded size seen per price. */
  seen: Map<number, number>;
  ladder: PriceLadder | undefined;
  changes: number;
  bar: OpenBar | undefined;
  done: OpenBar[];
}

/** Collects `bars` rows: give it to a StreamEngine, take the rows when the stream ends. */
export class BarsCollector implements StreamObserver {
  private readonly intervalMs: number;
  private readonly markets = new Map<string, Map<number | string, RunnerBars>>();
  /** Runner names by market, from the last definition carrying each. */
  private readonly names = new Map<string, Map<number | string, string>>();
  private firstChange = false;
  private rows: BarsRow[] = [];

  constructor(options: BarsOptions = {}) {
    this.intervalMs = options.intervalMs ?? DEFAULT_BAR_MS;
    if (!(this.intervalMs >= 1)) throw new RangeError('a bar interval must be at least 1 ms');
  }

  /** The rows of every market ended since the last call: by market, runner, then time. */
  takeRows(): BarsRow[] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  beforeChange(market: MarketCache): void {
    this.firstChange = market.pt === undefined;
  }

  afterChange(market: MarketCache, change: ChangeHeader, pt: number): void {
    if (change.marketDefinition !== undefined && market.definition === change.marketDefinition) {
      this.noteNames(market);
    }
    let runners = this.markets.get(market.marketId);
    if (runners === undefined) {
      runners = new Map();
      this.markets.set(market.marketId, runners);
    }
    for (const [key, runner] of market.runners) {
      let bars = runners.get(key);
      if (bars === undefined) {
        bars = {
          selectionId: runner.selectionId,
          seen: new Map(),
          ladder: undefined,
          changes: -1,
          bar: undefined,
          done: [],
        };
        runners.set(key, bars);
      }
      const ladder = runner.trd;
      if (bars.ladder === ladder && bars.changes === ladder.changes) continue;
      bars.ladder = ladder;
      bars.changes = ladder.changes;
      for (const [price, size] of ladder) {
        const before = bars.seen.get(price) ?? 0;
        if (!(size > before)) continue;
        bars.seen.set(price, size);
        if (!this.firstChange) this.trade(bars, pt, price, size - before);
      }
    }
  }

  endOfStream(market: MarketCache): void {
    const runners = this.markets.get(market.marketId);
    const names = this.names.get(market.marketId) ?? new Map<number | string, string>();
    this.markets.delete(market.marketId);
    this.names.delete(market.marketId);
    if (runners === undefined) return;
    const order = [...market.definitionRunners()].map((r) => runnerKey(r.selectionId, r.handicap));
    const listed = new Set(order);
    for (const key of runners.keys()) if (!listed.has(key)) order.push(key);
    for (const key of order) {
      const bars = runners.get(key);
      if (bars === undefined) continue;
      if (bars.bar !== undefined) bars.done.push(bars.bar);
      for (const bar of bars.done) {
        this.rows.push({
          market_id: market.marketId,
          selection_id: bars.selectionId,
          selection_name: names.get(key) ?? null,
          bar_start: new Date(bar.start).toISOString(),
          bar_end: new Date(bar.start + this.intervalMs).toISOString(),
          open: bar.open,
          high: bar.high,
          low: bar.low,
          close: bar.close,
          volume: round2(bar.volume),
          trades: bar.trades,
        });
      }
    }
  }

  private noteNames(market: MarketCache): void {
    let names = this.names.get(market.marketId);
    if (names === undefined) {
      names = new Map();
      this.names.set(market.marketId, names);
    }
    for (const entry of market.definition?.runners ?? []) {
      if (entry.name !== undefined) names.set(runnerKey(entry.id, entry.hc), entry.name);
    }
  }

  private trade(bars: RunnerBars, pt: number, price: number, size: number): void {
    const start = Math.floor(pt / this.intervalMs) * this.intervalMs;
    let bar = bars.bar;
    if (bar !== undefined && bar.start !== start) {
      bars.done.push(bar);
      bar = undefined;
    }
    if (bar === undefined) {
      bar = { start, open: price, high: price, low: price, close: price, volume: 0, trades: 0 };
      bars.bar = bar;
    }
    if (price > bar.high) bar.high = price;
    if (price < bar.low) bar.low = price;
    bar.close = price;
    bar.volume += size;
    bar.trades++;
  }
}

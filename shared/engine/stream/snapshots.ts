import { availableToBack, availableToLay, runnerTradedVolume } from './book-prices.js';
import type { MarketCache } from './market-cache.js';
import type { Moment } from './moments.js';
import { DEFAULT_SNAPSHOT_DEPTH, snapshotsColumns, type SnapshotsRow } from './snapshots-table.js';
import type { ChangeHeader, StreamObserver } from './stream-engine.js';

// The `snapshots` product: the book at chosen moments. A time or an offset from the scheduled
// off is taken just before the first change published after it (the book as of the last update
// at or before it), or at the end of the stream when nothing came after it; `off` just after the
// first change that leaves the market in play; `close` just before each change that replaces the
// definition of an OPEN market (and at the end when still OPEN), the last such copy winning.
// A moment with no book at or before it (or none with a definition) has no rows.

export interface SnapshotsOptions {
  moments: readonly Moment[];
  /** Ladder levels per side; default 3. */
  depth?: number;
}

interface Capture {
  rows: SnapshotsRow[];
}

/** Collects `snapshots` rows: give it to a StreamEngine, take the rows when the stream ends. */
export class SnapshotsCollector implements StreamObserver {
  private readonly depth: number;
  private readonly timed: readonly Extract<Moment, { kind: 'time' | 'offset' }>[];
  private readonly wantsOff: boolean;
  private readonly wantsClose: boolean;
  private readonly captures = new Map<string, Map<string, Capture>>();
  private rows: SnapshotsRow[] = [];

  constructor(private readonly options: SnapshotsOptions) {
    this.depth = options.depth ?? DEFAULT_SNAPSHOT_DEPTH;
    snapshotsColumns(this.depth); // refuses a depth out of range
    this.timed = options.moments.filter((m) => m.kind === 'time' || m.kind === 'offset');
    this.wantsOff = options.moments.some((m) => m.kind === 'off');
    this.wantsClose = options.moments.some((m) => m.kind === 'close');
  }

  /** The rows of every market ended since the last call: by market, moment, then runner. */
  takeRows(): SnapshotsRow[] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  beforeChange(market: MarketCache, change: ChangeHeader, pt: number): void {
    const last = market.pt;
    if (last === undefined || market.definition === undefined) return;
    for (const moment of this.timed) {
      const at = momentTime(moment, market);
      if (last <= at && pt > at) this.capture(market, moment.label, at);
    }
    const replaces = change.marketDefinition !== undefined || change.img === true;
    if (this.wantsClose && replaces && market.status === 'OPEN') {
      this.capture(market, 'close', last);
    }
  }

  afterChange(market: MarketCache, _change: ChangeHeader, pt: number): void {
    if (!this.wantsOff || !market.inPlay) return;
    if (this.capturesOf(market.marketId).has('off')) return;
    this.capture(market, 'off', pt);
  }

  endOfStream(market: MarketCache): void {
    const last = market.pt;
    if (last !== undefined && market.definition !== undefined) {
      for (const moment of this.timed) {
        const at = momentTime(moment, market);
        if (last <= at) this.capture(market, moment.label, at);
      }
      if (this.wantsClose && market.status === 'OPEN') this.capture(market, 'close', last);
    }
    const captures = this.capturesOf(market.marketId);
    for (const moment of this.options.moments) {
      this.rows.push(...(captures.get(moment.label)?.rows ?? []));
    }
    this.captures.delete(market.marketId);
  }

  private capture(market: MarketCache, label: string, momentMs: number): void {
    this.capturesOf(market.marketId).set(label, {
      rows: snapshotRows(market, label, momentMs, this.depth),
    });
  }

  private capturesOf(marketId: string): Map<string, Capture> {
    let captures = this.captures.get(marketId);
    if (captures === undefined) {
      captures = new Map();
      this.captures.set(marketId, captures);
    }
    return captures;
  }
}

/** When a time or offset moment is for this market; NaN for an offset without a marketTime. */
function momentTime(moment: Extract<Moment, { kind: 'time' | 'offset' }>, market: MarketCache) {
  return moment.kind === 'time' ? moment.epochMs : market.marketTimeMs + moment.offsetMs;
}

function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** One row per runner of the market's definition, as the cache stands now. */
export function snapshotRows(
  market: MarketCache,
  label: string,
  momentMs: number,
  depth: number,
): SnapshotsRow[] {
  const definition = market.definition;
  if (definition === undefined || market.pt === undefined) return [];
  const marketTime = Number.isFinite(market.marketTimeMs) ? iso(market.marketTimeMs) : null;
  const rows: SnapshotsRow[] = [];
  for (const runner of market.definitionRunners()) {
    const entry = runner.definitionRunner;
    const row: SnapshotsRow = {
      market_id: market.marketId,
      moment: label,
      moment_time: iso(momentMs),
      book_time: iso(market.pt),
      market_time: marketTime,
      market_status: definition.status,
      in_play: definition.inPlay === true,
      selection_id: runner.selectionId,
      selection_name: entry?.name ?? null,
      runner_status: entry?.status ?? 'ACTIVE',
      ltp: finiteOrNull(runner.ltp),
      traded_volume: runnerTradedVolume(runner),
      traded_wap: wap(runner.trd),
      sp_near: finiteOrNull(runner.spn),
      sp_far: finiteOrNull(runner.spf),
    };
    const back = availableToBack(runner);
    const lay = availableToLay(runner);
    for (let level = 1; level <= depth; level++) {
      const [backPrice = null, backSize = null] = back[level - 1] ?? [];
      const [layPrice = null, laySize = null] = lay[level - 1] ?? [];
      row[`back_${level}_price`] = backPrice;
      row[`back_${level}_size`] = backSize;
      row[`lay_${level}_price`] = layPrice;
      row[`lay_${level}_size`] = laySize;
    }
    rows.push(row);
  }
  return rows;
}

function wap(ladder: Iterable<[number, number]>): number | null {
  let volume = 0;
  let weighted = 0;
  for (const [price, size] of ladder) {
    if (!(size > 0)) continue;
    volume += size;
    weighted += price * size;
  }
  return volume > 0 ? weighted / volume : null;
}

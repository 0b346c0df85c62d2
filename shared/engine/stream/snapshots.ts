import { availableToBack, availableToLay, runnerTradedVolume } from './book-prices.js';
import type { MarketCache } from './market-cache.js';
import { MomentCollector } from './moment-collector.js';
import type { Moment } from './moments.js';
import { DEFAULT_SNAPSHOT_DEPTH, snapshotsColumns, type SnapshotsRow } from './snapshots-table.js';

// The `snapshots` product: the book at chosen moments, taken by MomentCollector's rule. A moment
// with no book at or before it (or none with a definition) has no rows.

export interface SnapshotsOptions {
  moments: readonly Moment[];
  /** Ladder levels per side; default 3. */
  depth?: number;
}

/** Collects `snapshots` rows: give it to a StreamEngine, take the rows when the stream ends. */
export class SnapshotsCollector extends MomentCollector<SnapshotsRow[]> {
  private readonly depth: number;
  private rows: SnapshotsRow[] = [];

  constructor(options: SnapshotsOptions) {
    super(options.moments);
    this.depth = options.depth ?? DEFAULT_SNAPSHOT_DEPTH;
    snapshotsColumns(this.depth); // refuses a depth out of range
  }

  /** The rows of every market ended since the last call: by market, moment, then runner. */
  takeRows(): SnapshotsRow[] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  protected capture(market: MarketCache, label: string, momentMs: number): SnapshotsRow[] {
    return snapshotRows(market, label, momentMs, this.depth);
  }

  protected marketEnded(_market: MarketCache, captures: ReadonlyMap<string, SnapshotsRow[]>) {
    for (const moment of this.moments) this.rows.push(...(captures.get(moment.label) ?? []));
  }
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

import { bestBackPrice, bestLayPrice } from './book-prices.js';
import { PriceLadder, round2 } from './ladders.js';
import type { MarketCache } from './market-cache.js';
import type { RunnersRow } from './runners-table.js';
import type { ChangeHeader, StreamObserver } from './stream-engine.js';
import { runnerKey, streamNumber } from './stream-message.js';

// The `runners` product (BRIEF §5): P = the last book OPEN and not in play, O = the last OPEN
// book, F = the final book, the off = the first in-play book. Market status only changes with a
// definition or a full image, so P and O are copied just before such a change (and at the end),
// never on ordinary updates.

/** What a row needs of one runner in P or O. */
interface RunnerCopy {
  trd: PriceLadder;
  ltp: number | undefined;
  backStakeTaken: number;
  layLiabilityTaken: number;
}

type BookCopy = Map<number | string, RunnerCopy>;

interface MarketProgress {
  preplay: BookCopy | undefined;
  open: BookCopy | undefined;
  offPt: number | undefined;
  /** Best back/lay per runner as of the last update at or before `pricesForMarketTime`. */
  pricesAtScheduledOff: Map<number | string, [back: number | null, lay: number | null]>;
  pricesForMarketTime: number;
  names: Map<number | string, string>;
  bsp: Map<number | string, number>;
  marketName: string | undefined;
}

/** Collects `runners` rows: give it to a StreamEngine, take the rows when the stream ends. */
export class RunnersCollector implements StreamObserver {
  private readonly progress = new Map<string, MarketProgress>();
  private rows: RunnersRow[] = [];

  /** The rows of every market ended since the last call, in the order markets ended. */
  takeRows(): RunnersRow[] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  beforeChange(market: MarketCache, change: ChangeHeader, pt: number): void {
    const progress = this.progressOf(market.marketId);
    const marketTime = market.marketTimeMs;
    if (
      progress.pricesForMarketTime !== marketTime &&
      market.pt !== undefined &&
      market.pt <= marketTime &&
      pt > marketTime
    ) {
      copyScheduledOffPrices(market, progress);
    }
    if (change.marketDefinition !== undefined || change.img === true) copyPhases(market, progress);
  }

  afterChange(market: MarketCache, change: ChangeHeader, pt: number): void {
    const progress = this.progressOf(market.marketId);
    if (progress.offPt === undefined && market.inPlay) progress.offPt = pt;
    const definition = change.marketDefinition;
    if (definition === undefined || market.definition !== definition) return;
    if (definition.name !== undefined) progress.marketName = definition.name;
    for (const entry of definition.runners) {
      const key = runnerKey(entry.id, entry.hc);
      if (entry.name !== undefined) progress.names.set(key, entry.name);
      if (entry.bsp !== undefined) progress.bsp.set(key, streamNumber(entry.bsp));
    }
  }

  endOfStream(market: MarketCache): void {
    const progress = this.progressOf(market.marketId);
    copyPhases(market, progress);
    const marketTime = market.marketTimeMs;
    if (
      progress.pricesForMarketTime !== marketTime &&
      market.pt !== undefined &&
      market.pt <= marketTime
    ) {
      copyScheduledOffPrices(market, progress);
    }
    this.rows.push(...runnerRows(market, progress));
    this.progress.delete(market.marketId);
  }

  private progressOf(marketId: string): MarketProgress {
    let progress = this.progress.get(marketId);
    if (progress === undefined) {
      progress = {
        preplay: undefined,
        open: undefined,
        offPt: undefined,
        pricesAtScheduledOff: new Map(),
        pricesForMarketTime: NaN,
        names: new Map(),
        bsp: new Map(),
        marketName: undefined,
      };
      this.progress.set(marketId, progress);
    }
    return progress;
  }
}

/** When the market as it stands is OPEN it may be the last O (and, before the off, P). */
function copyPhases(market: MarketCache, progress: MarketProgress): void {
  if (market.status !== 'OPEN') return;
  const copy = copyBook(market);
  progress.open = copy;
  if (!market.inPlay) progress.preplay = copy;
}

function copyBook(market: MarketCache): BookCopy {
  const copy: BookCopy = new Map();
  for (const [key, runner] of market.runners) {
    copy.set(key, {
      trd: runner.trd.copy(),
      ltp: runner.ltp,
      backStakeTaken: runner.spb.volume(),
      layLiabilityTaken: runner.spl.volume(),
    });
  }
  return copy;
}

function copyScheduledOffPrices(market: MarketCache, progress: MarketProgress): void {
  progress.pricesForMarketTime = market.marketTimeMs;
  progress.pricesAtScheduledOff.clear();
  for (const [key, runner] of market.runners) {
    progress.pricesAtScheduledOff.set(key, [bestBackPrice(runner), bestLayPrice(runner)]);
  }
}

/** Traded-ladder figures: volume (0 when empty), and wap/min/max (null when empty). */
interface LadderFigures {
  volume: number;
  wap: number | null;
  min: number | null;
  max: number | null;
}

function ladderFigures(ladder: Iterable<[number, number]>): LadderFigures {
  let volume = 0;
  let weighted = 0;
  let min: number | null = null;
  let max: number | null = null;
  for (const [price, size] of ladder) {
    if (!(size > 0)) continue;
    volume += size;
    weighted += price * size;
    if (min === null || price < min) min = price;
    if (max === null || price > max) max = price;
  }
  if (volume === 0) return { volume: 0, wap: null, min: null, max: null };
  return { volume: round2(volume), wap: weighted / volume, min, max };
}

/** The in-play ladder: size in O − size in P per price, keeping sizes > 0.005, to 2 dp. */
function inPlayLadder(open: PriceLadder, preplay: PriceLadder | undefined): [number, number][] {
  const ladder: [number, number][] = [];
  for (const [price, size] of open) {
    const difference = size - (preplay?.get(price) ?? 0);
    if (difference > 0.005) ladder.push([price, round2(difference)]);
  }
  return ladder;
}

function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

function isoOrNull(epochMs: number | undefined): string | null {
  return epochMs !== undefined && Number.isFinite(epochMs) ? new Date(epochMs).toISOString() : null;
}

const EMPTY_LADDER = new PriceLadder();

const NO_FIGURES = { volume: null, wap: null, min: null, max: null };

function runnerRows(market: MarketCache, progress: MarketProgress): RunnersRow[] {
  const definition = market.definition;
  if (definition === undefined) return [];
  const marketTime = isoOrNull(market.marketTimeMs);
  const inPlayed = progress.offPt !== undefined;
  return definition.runners.map((entry) => {
    const key = runnerKey(entry.id, entry.hc);
    const preplay = progress.preplay?.get(key);
    const open = progress.open?.get(key);
    const pp = progress.preplay === undefined ? NO_FIGURES : ladderFigures(preplay?.trd ?? []);
    const ip = inPlayed
      ? ladderFigures(inPlayLadder(open?.trd ?? EMPTY_LADDER, preplay?.trd))
      : NO_FIGURES;
    const bsp = finiteOrNull(progress.bsp.get(key));
    const [bestBack, bestLay] = progress.pricesAtScheduledOff.get(key) ?? [null, null];
    return {
      market_id: market.marketId,
      event_id: definition.eventId ?? null,
      event_date: marketTime === null ? null : marketTime.slice(0, 10),
      country: definition.countryCode ?? null,
      venue: definition.venue ?? null,
      market_name: progress.marketName ?? null,
      market_type: definition.marketType ?? null,
      market_time: marketTime,
      off_time: isoOrNull(progress.offPt),
      selection_id: entry.id,
      selection_name: progress.names.get(key) ?? null,
      result: entry.status,
      bsp,
      bsp_volume: bsp !== null && bsp > 1 ? startingPriceVolume(preplay, bsp) : null,
      pp_min: pp.min,
      pp_max: pp.max,
      pp_wap: pp.wap,
      pp_ltp: progress.preplay === undefined ? null : finiteOrNull(preplay?.ltp),
      pp_volume: pp.volume,
      ip_min: ip.min,
      ip_max: ip.max,
      ip_wap: ip.wap,
      ip_ltp: inPlayed ? finiteOrNull(open?.ltp) : null,
      ip_volume: ip.volume,
      best_back_at_scheduled_off: bestBack,
      best_lay_at_scheduled_off: bestLay,
    };
  });
}

function startingPriceVolume(preplay: RunnerCopy | undefined, bsp: number): number {
  const back = preplay?.backStakeTaken ?? 0;
  const lay = preplay?.layLiabilityTaken ?? 0;
  return round2(Math.min(back, lay / (bsp - 1)));
}

import { bestBackPrice, bestLayPrice, runnerTradedVolume } from './book-prices.js';
import type { MarketCache } from './market-cache.js';
import { momentTime } from './moment-collector.js';
import type { Moment } from './moments.js';
import { replayLinesAsync } from './replay.js';
import type { ChangeHeader, StreamObserver } from './stream-engine.js';

// A market's prices sampled every so often for a chart: at each sample time the book as of the
// last update at or before it, as MomentCollector takes a time. Samples run from `from` (a time,
// an offset from the scheduled off, or `off`) every `everyMs` while at or before `to` (the same,
// or `close`); sample times before the market's first book have none. One pass, stopped once the
// last sample is taken.

/** One runner at one sample time. */
export interface TimelineRunner {
  selectionId: number;
  handicap: number;
  ltp: number | null;
  back: number | null;
  lay: number | null;
  tradedVolume: number;
}

/** The book at one sample time, cut to what a chart draws. */
export interface TimelineSample {
  time: number;
  /** The `pt` of the book used. */
  publishTime: number;
  status: string;
  inplay: boolean;
  runners: TimelineRunner[];
}

/** A runner as the market's last definition seen names it. */
export interface TimelineRunnerName {
  selectionId: number;
  handicap: number;
  name: string | null;
}

export type TimelineFrom = Exclude<Moment, { kind: 'close' }>;

export interface TimelineOptions {
  from: TimelineFrom;
  to: Moment;
  everyMs: number;
  /** More samples than this between `from` and `to` is `too-many`. */
  maxSamples: number;
}

/** What one pass found. */
export type Timeline =
  | {
      found: 'samples';
      fromMs: number;
      toMs: number;
      runners: TimelineRunnerName[];
      samples: TimelineSample[];
    }
  /** The stream holds no change of the market. */
  | { found: 'no-market' }
  /** `from` or `to` never happened: the market never turned in play, or was never OPEN. */
  | { found: 'no-moment'; which: 'from' | 'to' }
  | { found: 'reversed'; fromMs: number; toMs: number }
  | { found: 'too-many'; fromMs: number; toMs: number; count: number }
  /**
   * No book at any sample time: the market's first book (`firstBookMs`, when the stream has
   * one) comes after `to`, or after the last sample time before `to`.
   */
  | { found: 'no-book'; fromMs: number; toMs: number; firstBookMs?: number };

/** Samples one market; see the rule above. */
export class TimelineCollector implements StreamObserver {
  market: MarketCache | undefined = undefined;
  readonly samples: TimelineSample[] = [];
  /** The first sample time, once `from` is known. */
  anchor: number | undefined = undefined;
  private next = NaN;
  private overflow = false;
  private offMs: number | undefined = undefined;
  private firstBookMs: number | undefined = undefined;
  private closeMs: number | undefined = undefined;
  private closeFinal = false;

  constructor(
    readonly marketId: string,
    private readonly options: TimelineOptions,
  ) {}

  /** True once no later change can add or alter a sample. */
  get settled(): boolean {
    const to = this.market && this.toTime(this.market);
    if (to === undefined || this.anchor === undefined) return false;
    return this.overflow || this.next > to;
  }

  beforeChange(market: MarketCache, change: ChangeHeader, pt: number): void {
    if (market.marketId !== this.marketId) return;
    this.market = market;
    if (market.pt === undefined || market.definition === undefined) return;
    this.sampleBefore(market, pt);
    const replaces = change.marketDefinition !== undefined || change.img === true;
    if (replaces && market.status === 'OPEN') this.closeMs = market.pt;
  }

  afterChange(market: MarketCache, _change: ChangeHeader, pt: number): void {
    if (market.marketId !== this.marketId) return;
    this.market = market;
    if (this.offMs === undefined && market.inPlay) this.offMs = pt;
    if (market.status === 'CLOSED') this.closeFinal = true;
  }

  endOfStream(market: MarketCache): void {
    if (market.marketId !== this.marketId) return;
    this.market = market;
    if (market.status === 'OPEN') this.closeMs = market.pt;
    this.closeFinal = true;
    if (market.pt !== undefined && market.definition !== undefined) {
      this.sampleBefore(market, Infinity);
    }
  }

  /** What the pass found, once the stream ended or the collector settled. */
  result(): Timeline {
    const market = this.market;
    if (market === undefined) return { found: 'no-market' };
    const fromMs = this.anchor ?? this.fromTime(market);
    if (fromMs === undefined) return { found: 'no-moment', which: 'from' };
    const toMs = this.toTime(market);
    if (toMs === undefined) return { found: 'no-moment', which: 'to' };
    if (fromMs > toMs) return { found: 'reversed', fromMs, toMs };
    const count = Math.floor((toMs - fromMs) / this.options.everyMs) + 1;
    if (count > this.options.maxSamples) return { found: 'too-many', fromMs, toMs, count };
    const samples = this.samples.filter((sample) => sample.time <= toMs);
    if (samples.length === 0) {
      return { found: 'no-book', fromMs, toMs, firstBookMs: this.firstBookMs };
    }
    const runners = (market.definition?.runners ?? []).map((entry) => ({
      selectionId: entry.id,
      handicap: entry.hc ?? 0,
      name: entry.name ?? null,
    }));
    return { found: 'samples', fromMs, toMs, runners, samples };
  }

  /** Takes every sample time from the last update (inclusive) to `before` (exclusive). */
  private sampleBefore(market: MarketCache, before: number): void {
    const last = market.pt as number;
    this.firstBookMs ??= last;
    if (this.anchor === undefined) {
      const from = this.fromTime(market);
      if (from === undefined || !(before > from)) return;
      this.anchor = from;
      this.next = from;
    }
    const every = this.options.everyMs;
    // Sample times before the market's first book have no book.
    if (this.next < last) this.next += Math.ceil((last - this.next) / every) * every;
    const to = this.toTime(market) ?? Infinity;
    while (this.next < before && this.next <= to && !this.overflow) {
      this.samples.push(sampleOf(market, this.next));
      this.next += every;
      this.overflow = this.samples.length > this.options.maxSamples;
    }
  }

  private fromTime(market: MarketCache): number | undefined {
    const from = this.options.from;
    return from.kind === 'off' ? this.offMs : finite(momentTime(from, market));
  }

  private toTime(market: MarketCache): number | undefined {
    const to = this.options.to;
    if (to.kind === 'off') return this.offMs;
    if (to.kind === 'close') return this.closeFinal ? this.closeMs : undefined;
    return finite(momentTime(to, market));
  }
}

function finite(value: number): number | undefined {
  return Number.isFinite(value) ? value : undefined;
}

function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

function sampleOf(market: MarketCache, time: number): TimelineSample {
  const runners: TimelineRunner[] = [];
  for (const runner of market.definitionRunners()) {
    runners.push({
      selectionId: runner.selectionId,
      handicap: runner.handicap,
      ltp: finiteOrNull(runner.ltp),
      back: bestBackPrice(runner),
      lay: bestLayPrice(runner),
      tradedVolume: runnerTradedVolume(runner),
    });
  }
  return {
    time,
    publishTime: market.pt as number,
    status: market.definition?.status ?? 'OPEN',
    inplay: market.inPlay,
    runners,
  };
}

/** Replays `lines` until the market's timeline is complete. */
export async function marketTimeline(
  lines: AsyncIterable<string | Buffer>,
  marketId: string,
  options: TimelineOptions,
): Promise<Timeline> {
  const collector = new TimelineCollector(marketId, options);
  await replayLinesAsync(lines, { observers: [collector], stop: () => collector.settled });
  return collector.result();
}

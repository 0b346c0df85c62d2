import type { MarketCache } from './market-cache.js';
import type { Moment } from './moments.js';
import type { ChangeHeader, StreamObserver } from './stream-engine.js';

// When the book at a moment is taken, the one rule of the `snapshots` product, `chimera book` and
// the market API. A time or an offset from the scheduled off is taken just before the first
// change published after it (the book as of the last update at or before it), or at the end of
// the stream when nothing came after it; `off` just after the first change that leaves the market
// in play; `close` just before each change that replaces the definition of an OPEN market (and
// at the end when still OPEN), the last such copy winning. Nothing is taken before the market's
// first definition.

/** A time or an offset moment. */
export type TimedMoment = Extract<Moment, { kind: 'time' | 'offset' }>;

/** When a time or offset moment is for this market; NaN for an offset without a marketTime. */
export function momentTime(moment: TimedMoment, market: MarketCache): number {
  return moment.kind === 'time' ? moment.epochMs : market.marketTimeMs + moment.offsetMs;
}

/**
 * Takes a copy of what a subclass wants of a market at each moment, by the rule above, and hands
 * a market's copies over when its stream ends.
 */
export abstract class MomentCollector<T> implements StreamObserver {
  private readonly timed: readonly TimedMoment[];
  private readonly wantsOff: boolean;
  private readonly wantsClose: boolean;
  private readonly captures = new Map<string, Map<string, T>>();

  constructor(protected readonly moments: readonly Moment[]) {
    this.timed = moments.filter((m): m is TimedMoment => m.kind === 'time' || m.kind === 'offset');
    this.wantsOff = moments.some((m) => m.kind === 'off');
    this.wantsClose = moments.some((m) => m.kind === 'close');
  }

  /** A copy of what is wanted of the market as it stands now, for moment `label` at `momentMs`. */
  protected abstract capture(market: MarketCache, label: string, momentMs: number): T;

  /** The stream has ended; `captures` holds the market's copies by moment label. */
  protected abstract marketEnded(market: MarketCache, captures: ReadonlyMap<string, T>): void;

  /** Whether this collector looks at the market at all; every market unless overridden. */
  protected watches(_market: MarketCache): boolean {
    return true;
  }

  beforeChange(market: MarketCache, change: ChangeHeader, pt: number): void {
    const last = market.pt;
    if (last === undefined || market.definition === undefined || !this.watches(market)) return;
    for (const moment of this.timed) {
      const at = momentTime(moment, market);
      if (last <= at && pt > at) this.take(market, moment.label, at);
    }
    const replaces = change.marketDefinition !== undefined || change.img === true;
    if (this.wantsClose && replaces && market.status === 'OPEN') this.take(market, 'close', last);
  }

  afterChange(market: MarketCache, _change: ChangeHeader, pt: number): void {
    if (!this.wantsOff || !market.inPlay || !this.watches(market)) return;
    if (this.capturesOf(market.marketId).has('off')) return;
    this.take(market, 'off', pt);
  }

  endOfStream(market: MarketCache): void {
    if (!this.watches(market)) return;
    const last = market.pt;
    if (last !== undefined && market.definition !== undefined) {
      for (const moment of this.timed) {
        const at = momentTime(moment, market);
        if (last <= at) this.take(market, moment.label, at);
      }
      if (this.wantsClose && market.status === 'OPEN') this.take(market, 'close', last);
    }
    this.marketEnded(market, this.capturesOf(market.marketId));
    this.captures.delete(market.marketId);
  }

  private take(market: MarketCache, label: string, momentMs: number): void {
    this.capturesOf(market.marketId).set(label, this.capture(market, label, momentMs));
  }

  private capturesOf(marketId: string): Map<string, T> {
    let captures = this.captures.get(marketId);
    if (captures === undefined) {
      captures = new Map();
      this.captures.set(marketId, captures);
    }
    return captures;
  }
}

import type { MarketCache } from './market-cache.js';
import { renderMarketBook, type StreamMarketBook } from './market-book.js';
import { MomentCollector } from './moment-collector.js';
import type { Moment } from './moments.js';
import { replayLinesAsync } from './replay.js';
import type { ChangeHeader } from './stream-engine.js';

// One market's book at one moment, by MomentCollector's rule, in one pass that stops as soon as
// the book can no longer change: a time, an offset or `off` once taken, `close` once the market
// is CLOSED (or at the end of the stream).

/** What one pass found for the market at the moment. */
export type BookAtMoment =
  | { found: 'book'; book: StreamMarketBook; momentMs: number; stopped: boolean }
  /** The stream holds no change of the market. */
  | { found: 'no-market' }
  /** No book at or before the moment: whether the market was ever in play, its first book. */
  | { found: 'no-book'; everInPlay: boolean; firstBookMs: number | undefined };

/** Takes the rendered book of one market at one moment. */
export class MarketBookCollector extends MomentCollector<StreamMarketBook | undefined> {
  market: MarketCache | undefined = undefined;
  taken: { book: StreamMarketBook; momentMs: number } | undefined = undefined;
  everInPlay = false;
  firstBookMs: number | undefined = undefined;

  constructor(
    readonly marketId: string,
    readonly moment: Moment,
  ) {
    super([moment]);
  }

  /** True once the book taken can no longer be replaced by a later change. */
  get settled(): boolean {
    if (this.taken === undefined) return false;
    return this.moment.kind !== 'close' || this.market?.status === 'CLOSED';
  }

  protected override watches(market: MarketCache): boolean {
    return market.marketId === this.marketId;
  }

  override afterChange(market: MarketCache, change: ChangeHeader, pt: number): void {
    if (market.marketId !== this.marketId) return;
    this.market = market;
    if (market.inPlay) this.everInPlay = true;
    if (this.firstBookMs === undefined && market.definition !== undefined) this.firstBookMs = pt;
    super.afterChange(market, change, pt);
  }

  protected capture(market: MarketCache, _label: string, momentMs: number) {
    const book = renderMarketBook(market);
    if (book !== undefined) this.taken = { book, momentMs };
    return book;
  }

  protected marketEnded(): void {
    // The one book is kept in `taken` as it is captured.
  }
}

/** Replays `lines` until the market's book at the moment is known. */
export async function bookAtMoment(
  lines: AsyncIterable<string | Buffer>,
  marketId: string,
  moment: Moment,
): Promise<BookAtMoment> {
  const collector = new MarketBookCollector(marketId, moment);
  const report = await replayLinesAsync(lines, {
    observers: [collector],
    stop: () => collector.settled,
  });
  if (collector.taken !== undefined) {
    return { found: 'book', ...collector.taken, stopped: report.stopped };
  }
  if (collector.market === undefined) return { found: 'no-market' };
  return {
    found: 'no-book',
    everInPlay: collector.everInPlay,
    firstBookMs: collector.firstBookMs,
  };
}

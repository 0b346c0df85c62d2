import { marketTradedVolume } from './book-prices.js';
import type { MarketCache } from './market-cache.js';
import type { MarketsRow } from './markets-table.js';
import type { ChangeHeader, StreamObserver } from './stream-engine.js';

/** Where the replayed file came from: given by the caller, copied into every row. */
export interface MarketsSource {
  tier?: string | null;
  sourceObject?: string | null;
  sourceGeneration?: string | null;
}

interface MarketProgress {
  offPt: number | undefined;
  /** The last OPEN book: its pt and traded total (the suspension after it zeroes the ladders). */
  closePt: number | undefined;
  closeMatched: number;
  marketName: string | undefined;
  eventName: string | undefined;
}

/** Collects `markets` rows: give it to a StreamEngine, take the rows when the stream ends. */
export class MarketsCollector implements StreamObserver {
  private readonly progress = new Map<string, MarketProgress>();
  private rows: MarketsRow[] = [];

  constructor(private readonly source: MarketsSource = {}) {}

  /** The rows of every market ended since the last call, in the order markets ended. */
  takeRows(): MarketsRow[] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  beforeChange(market: MarketCache, change: ChangeHeader): void {
    // Market status changes only with a definition or a full image: the book before such a
    // change may be the last OPEN one.
    if (change.marketDefinition !== undefined || change.img === true) this.noteOpen(market);
  }

  afterChange(market: MarketCache, change: ChangeHeader, pt: number): void {
    const progress = this.progressOf(market.marketId);
    if (progress.offPt === undefined && market.inPlay) progress.offPt = pt;
    const definition = change.marketDefinition;
    if (definition === undefined || market.definition !== definition) return;
    if (definition.name !== undefined) progress.marketName = definition.name;
    if (definition.eventName !== undefined) progress.eventName = definition.eventName;
  }

  endOfStream(market: MarketCache): void {
    this.noteOpen(market);
    const progress = this.progressOf(market.marketId);
    this.progress.delete(market.marketId);
    const definition = market.definition;
    if (definition === undefined) return;
    const marketTime = isoOrNull(market.marketTimeMs);
    const matched =
      progress.closePt === undefined ? marketTradedVolume(market) : progress.closeMatched;
    this.rows.push({
      market_id: market.marketId,
      event_id: definition.eventId ?? null,
      event_name: progress.eventName ?? null,
      event_type_id: definition.eventTypeId ?? null,
      venue: definition.venue ?? null,
      country: definition.countryCode ?? null,
      market_type: definition.marketType ?? null,
      market_name: progress.marketName ?? null,
      event_date: marketTime === null ? null : marketTime.slice(0, 10),
      market_time: marketTime,
      off_time: isoOrNull(progress.offPt),
      close_time: isoOrNull(progress.closePt),
      status: definition.status,
      runner_count: definition.runners.length,
      number_of_winners: definition.numberOfWinners ?? null,
      winner_ids: definition.runners
        .filter((runner) => runner.status === 'WINNER')
        .map((runner) => String(runner.id))
        .join(','),
      total_matched: matched,
      tier: this.source.tier ?? null,
      source_object: this.source.sourceObject ?? null,
      source_generation: this.source.sourceGeneration ?? null,
    });
  }

  private noteOpen(market: MarketCache): void {
    if (market.status !== 'OPEN' || market.pt === undefined) return;
    const progress = this.progressOf(market.marketId);
    progress.closePt = market.pt;
    progress.closeMatched = marketTradedVolume(market);
  }

  private progressOf(marketId: string): MarketProgress {
    let progress = this.progress.get(marketId);
    if (progress === undefined) {
      progress = {
        offPt: undefined,
        closePt: undefined,
        closeMatched: 0,
        marketName: undefined,
        eventName: undefined,
      };
      this.progress.set(marketId, progress);
    }
    return progress;
  }
}

function isoOrNull(epochMs: number | undefined): string | null {
  return epochMs !== undefined && Number.isFinite(epochMs) ? new Date(epochMs).toISOString() : null;
}

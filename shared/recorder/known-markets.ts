import type { MarketBook } from '../betfair/book-schema.js';
import type { MarketCatalogue } from '../betfair/catalogue-schema.js';
import type { MarketStatus } from '../betfair/projections.js';

/** CLOSED books recorded before a market is dropped: the first, and one final fetch. */
const CLOSED_BOOKS_TO_RECORD = 2;
/** Polls in a row without a book before a market that left the catalogue is dropped. */
const MAX_MISSING_BOOKS = 3;

/** A market seen today, as the dashboard lists it and the poll decides on it. */
export interface KnownMarket {
  marketId: string;
  marketName: string;
  marketStartTime: string | null;
  venue: string | null;
  event: string | null;
  runners: number;
  /** The status in the last book; null before the first book. */
  status: MarketStatus | null;
  inPlay: boolean;
  totalMatched: number;
  hasBookData: boolean;
  /** Listed by the latest catalogue (which never lists CLOSED markets). */
  inCatalogue: boolean;
  closedBooks: number;
  missingBooks: number;
  /** No longer polled. */
  done: boolean;
}

/** Adds newly listed markets and refreshes listed ones; markets that left stay known, unlisted. */
export function mergeCatalogue(
  known: readonly KnownMarket[],
  catalogue: readonly MarketCatalogue[],
): KnownMarket[] {
  const listed = new Map(catalogue.map((market) => [market.marketId, market]));
  const kept = known.map((market) => {
    const entry = listed.get(market.marketId);
    return entry
      ? { ...market, ...describe(entry), inCatalogue: true }
      : { ...market, inCatalogue: false };
  });
  const seen = new Set(known.map((market) => market.marketId));
  const added = catalogue.filter((market) => !seen.has(market.marketId)).map(newMarket);
  return [...kept, ...added];
}

/**
 * The markets to ask books for, split as Betfair advises: `open` are still listed and not
 * CLOSED; `closing` have closed or left the catalogue (usually at the off and settlement).
 */
export function marketsToPoll(known: readonly KnownMarket[]): {
  open: string[];
  closing: string[];
} {
  const active = known.filter((market) => !market.done);
  const isClosing = (market: KnownMarket) => market.status === 'CLOSED' || !market.inCatalogue;
  return {
    open: active.filter((market) => !isClosing(market)).map((market) => market.marketId),
    closing: active.filter(isClosing).map((market) => market.marketId),
  };
}

/** Applies this poll's books to the markets they were asked for. */
export function applyBooks(
  known: readonly KnownMarket[],
  asked: ReadonlySet<string>,
  books: readonly MarketBook[],
): KnownMarket[] {
  const byId = new Map(books.map((book) => [book.marketId, book]));
  return known.map((market) => {
    if (!asked.has(market.marketId)) return market;
    const book = byId.get(market.marketId);
    if (!book) return missed(market);
    const closedBooks = market.closedBooks + (book.status === 'CLOSED' ? 1 : 0);
    return {
      ...market,
      status: book.status,
      inPlay: book.inplay,
      totalMatched: book.totalMatched,
      hasBookData: true,
      closedBooks,
      missingBooks: 0,
      done: closedBooks >= CLOSED_BOOKS_TO_RECORD,
    };
  });
}

function missed(market: KnownMarket): KnownMarket {
  const missingBooks = market.missingBooks + 1;
  return {
    ...market,
    missingBooks,
    done: !market.inCatalogue && missingBooks >= MAX_MISSING_BOOKS,
  };
}

function newMarket(market: MarketCatalogue): KnownMarket {
  return {
    ...describe(market),
    status: null,
    inPlay: false,
    totalMatched: market.totalMatched ?? 0,
    hasBookData: false,
    inCatalogue: true,
    closedBooks: 0,
    missingBooks: 0,
    done: false,
  };
}

function describe(market: MarketCatalogue) {
  return {
    marketId: market.marketId,
    marketName: market.marketName,
    marketStartTime: market.marketStartTime ?? null,
    venue: market.event?.venue ?? null,
    event: market.event?.name ?? null,
    runners: market.runners?.length ?? 0,
  };
}

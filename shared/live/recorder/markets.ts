import type { BetfairClient } from '../../betfair/client.js';
import type { MarketBook, MarketCatalogue } from '../../betfair/market-schemas.js';
import type { MarketFilter } from '../../betfair/protocol.js';
import type { MarketStatus } from '../../betfair/vocabulary.js';
import { planBookBatches } from '../../betfair/weights.js';
import { EVENT_TYPE_ID, type RecorderSettings } from './settings.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The market filter for today's racing (UTC, from midnight) in the configured countries and types. */
export function catalogueFilter(settings: RecorderSettings, now: Date): MarketFilter {
  const from = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return {
    eventTypeIds: [EVENT_TYPE_ID],
    marketCountries: settings.countries,
    ...(settings.marketTypes.length > 0 ? { marketTypeCodes: settings.marketTypes } : {}),
    marketStartTime: {
      from: new Date(from).toISOString(),
      to: new Date(from + DAY_MS).toISOString(),
    },
  };
}

/**
 * Today's racing (UTC) in the configured countries and market types. The window starts at
 * midnight rather than now, so a race stays listed after its off until it is CLOSED.
 */
export function fetchCatalogue(
  client: BetfairClient,
  settings: RecorderSettings,
  now: Date,
): Promise<MarketCatalogue[]> {
  return client.listMarketCatalogue(catalogueFilter(settings, now), {
    marketProjection: settings.catalogueProjections,
    sort: 'FIRST_TO_START',
  });
}

/** The price projection of every book request: the configured price data, virtualised. */
export function bookPriceProjection(settings: RecorderSettings): {
  priceData: RecorderSettings['priceProjection'];
  virtualise: boolean;
} {
  return { priceData: settings.priceProjection, virtualise: true };
}

/** Books fetched in one poll: what arrived, which ids were answered for, and what failed. */
export interface BooksFetched {
  books: MarketBook[];
  /** Ids in batches that succeeded, whether or not Betfair returned a book for them. */
  answered: Set<string>;
  failures: unknown[];
}

/**
 * Books for the open and the closing markets, never mixed in one request. Each batch is one
 * request sized from the weight table, so one failed batch loses only its own markets.
 */
export async function fetchBooks(
  client: BetfairClient,
  groups: { open: readonly string[]; closing: readonly string[] },
  settings: RecorderSettings,
): Promise<BooksFetched> {
  const priceProjection = bookPriceProjection(settings);
  const batches = [
    ...planBookBatches(groups.open, priceProjection),
    ...planBookBatches(groups.closing, priceProjection),
  ];
  const results = await Promise.allSettled(
    batches.map((batch) => client.listMarketBook(batch, { priceProjection })),
  );
  const fetched: BooksFetched = { books: [], answered: new Set(), failures: [] };
  results.forEach((result, index) => {
    if (result.status === 'rejected') {
      fetched.failures.push(result.reason);
      return;
    }
    fetched.books.push(...result.value);
    batches[index]?.forEach((marketId) => fetched.answered.add(marketId));
  });
  return fetched;
}

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
  /** The last part of its stream file known to be written (a hint; absent before any). */
  streamSeq?: number;
  /** Its stream file has been compressed into the day's layout. */
  streamFiled?: boolean;
  /** That file's object name in the recorder's bucket (absent for a market never recorded). */
  streamFile?: string;
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

import pLimit from 'p-limit';
import type { MarketBook, MarketCatalogue } from '../../../betfair/market-schemas.js';
import type { ObjectStore } from '../../../platform/ports/object-store.js';
import type { KnownMarket } from '../markets.js';
import type { PolledPrices } from './mcm-image.js';
import {
  appendBook,
  closeStream,
  type ClosedStream,
  type StreamHead,
  type StreamTarget,
} from './stream-files.js';

/**
 * The heads this instance appended last, per store and folder: a warm instance's next poll
 * starts from them instead of reading every market's last part back. A head another instance
 * has since moved past is caught by the part hint or, failing that, by the create-only write.
 */
const recentHeads = new WeakMap<ObjectStore, Map<string, Map<string, StreamHead>>>();

/** The remembered heads of the markets recorded under `bucket`/`basePath` in `store`. */
export function streamHeads(
  store: ObjectStore,
  target: { bucket: string; basePath: string },
): Map<string, StreamHead> {
  const folders = recentHeads.get(store) ?? new Map<string, Map<string, StreamHead>>();
  recentHeads.set(store, folders);
  const folder = `${target.bucket}/${target.basePath}`;
  const heads = folders.get(folder) ?? new Map<string, StreamHead>();
  folders.set(folder, heads);
  return heads;
}

/** Markets whose parts are written or joined at once. */
const CONCURRENT_MARKETS = 32;

/** What one round of stream writes did. */
export interface StreamWrites {
  known: KnownMarket[];
  lines: number;
  closed: ClosedStream[];
  failures: string[];
}

/** One poll's books, at its poll time. */
export interface PolledBooks {
  books: readonly MarketBook[];
  catalogue: readonly MarketCatalogue[] | undefined;
  prices: PolledPrices;
  pt: number;
}

/**
 * Appends each book's change to its market's stream; `heads` carries what this invocation
 * appended last, so its later polls need not read their parts back. Each market's part number
 * is kept in the market list as a hint for the next invocation.
 */
export async function appendBooks(
  target: StreamTarget,
  known: readonly KnownMarket[],
  polled: PolledBooks,
  heads: Map<string, StreamHead>,
): Promise<StreamWrites> {
  const catalogue = new Map(polled.catalogue?.map((market) => [market.marketId, market]));
  const hints = new Map(known.map((market) => [market.marketId, market.streamSeq ?? 0]));
  const limit = pLimit(CONCURRENT_MARKETS);
  const writes: StreamWrites = { known: [...known], lines: 0, closed: [], failures: [] };
  await Promise.all(
    polled.books.map((book) =>
      limit(async () => {
        const seqHint = hints.get(book.marketId) ?? 0;
        const remembered = heads.get(book.marketId);
        const before = remembered && remembered.seq >= seqHint ? remembered : undefined;
        try {
          const { head, appended } = await appendBook(target, {
            book,
            catalogue: catalogue.get(book.marketId),
            prices: polled.prices,
            pt: polled.pt,
            head: before,
            seqHint,
          });
          if (appended) writes.lines += 1;
          if (head !== undefined) heads.set(book.marketId, head);
        } catch (error) {
          writes.failures.push(
            `Appending to the stream of ${book.marketId} failed: ${message(error)}`,
          );
        }
      }),
    ),
  );
  writes.known = known.map((market) => {
    const head = heads.get(market.marketId);
    return head ? { ...market, streamSeq: head.seq } : market;
  });
  return writes;
}

/**
 * Compresses the stream of every market the recorder is done with and has not filed yet, once
 * each (see closeStream), and marks it filed.
 */
export async function closeFinished(
  target: StreamTarget,
  known: readonly KnownMarket[],
): Promise<StreamWrites> {
  const heads = streamHeads(target.store, target);
  const limit = pLimit(CONCURRENT_MARKETS);
  const writes: StreamWrites = { known: [...known], lines: 0, closed: [], failures: [] };
  const filed = new Map<string, string | undefined>();
  await Promise.all(
    known
      .filter((market) => market.done && market.streamFiled !== true)
      .map((market) =>
        limit(async () => {
          try {
            const closed = await closeStream(target, market.marketId);
            writes.closed.push(closed);
            filed.set(market.marketId, closed.name);
            heads.delete(market.marketId);
          } catch (error) {
            writes.failures.push(
              `Closing the stream of ${market.marketId} failed: ${message(error)}`,
            );
          }
        }),
      ),
  );
  writes.known = known.map((market) => {
    if (!filed.has(market.marketId)) return market;
    const name = filed.get(market.marketId);
    return { ...market, streamFiled: true, ...(name === undefined ? {} : { streamFile: name }) };
  });
  return writes;
}

/**
 * Closes every market of a day that has ended, done or not, as its list is about to go. Filed
 * markets are closed again too: that writes nothing (their file exists) but removes any part a
 * poll that outlived its lease appended after the filing, which nothing would read.
 */
export function closeAll(
  target: StreamTarget,
  known: readonly KnownMarket[],
): Promise<StreamWrites> {
  return closeFinished(
    target,
    known.map((market) => ({ ...market, done: true, streamFiled: false })),
  );
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

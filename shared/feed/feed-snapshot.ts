import type { BookIndex, CatalogueContent } from './snapshot-content.js';
import type { LoadedPart } from './snapshot-part.js';

/** The latest recorded poll as the feed serves it. */
export interface FeedSnapshot {
  catalogue: LoadedPart<CatalogueContent>;
  books: LoadedPart<BookIndex>;
}

/** The books asked for, as listMarketBook answers: in the order asked, unknown ids left out. */
export function booksJson(books: BookIndex, marketIds: readonly string[]): string {
  const found = marketIds.flatMap((id) => books.get(id) ?? []);
  return `[${found.join(',')}]`;
}

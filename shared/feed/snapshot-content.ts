import { z } from 'zod';
import { MarketBookSchema, MarketCatalogueSchema } from '../betfair/schemas.js';
import { AppError } from '../errors/app-error.js';

/** The recorded catalogue, serialised once so every `/markets` answer is a buffer write. */
export interface CatalogueContent {
  json: Buffer;
  marketCount: number;
}

/** Each recorded book serialised on its own, by marketId, so any selection is a join. */
export type BookIndex = ReadonlyMap<string, string>;

/** Parses and validates a recorded catalogue; throws FEED.CORRUPT_SNAPSHOT when it is not one. */
export function loadCatalogue(bytes: Buffer): CatalogueContent {
  const markets = parseArray(bytes, MarketCatalogueSchema, 'catalogue');
  return { json: Buffer.from(JSON.stringify(markets)), marketCount: markets.length };
}

/** Parses and validates recorded books; throws FEED.CORRUPT_SNAPSHOT when they are not books. */
export function loadBooks(bytes: Buffer): BookIndex {
  const books = parseArray(bytes, MarketBookSchema, 'books');
  return new Map(books.map((book) => [book.marketId, JSON.stringify(book)]));
}

/**
 * Returns the parsed JSON itself once the schema accepts it, not zod's output: zod rebuilds
 * objects with its own key order, and the feed serves fields exactly as Betfair sent them.
 */
function parseArray<S extends z.ZodType>(bytes: Buffer, schema: S, what: string): z.output<S>[] {
  const value = parseJson(bytes, what);
  const checked = z.array(schema).safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw corrupt(`Recorded ${what} is not valid: ${where} ${issue?.message ?? ''}`.trim());
  }
  return value as z.output<S>[];
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (error) {
    throw corrupt(`Recorded ${what} is not JSON`, error);
  }
}

function corrupt(message: string, cause?: unknown): AppError {
  return new AppError('FEED.CORRUPT_SNAPSHOT', 'internal', message, { cause });
}

import { textOf, type FirstMarket } from './file-filters.js';
import type { SourceObject } from './job-model.js';

/**
 * One entry of the markets index: where a market's file is (the job that last read it found it
 * there) and the definition fields people look markets up by, from the file's first definition.
 */
export interface IndexedMarket {
  marketId: string;
  bucket: string;
  object: string;
  generation: string;
  jobId: string;
  eventId: string | null;
  eventName: string | null;
  eventTypeId: string | null;
  venue: string | null;
  countryCode: string | null;
  marketType: string | null;
  /** The scheduled off, ISO 8601, as the definition gives it. */
  marketTime: string | null;
  /** The UTC day of marketTime, `YYYY-MM-DD`, for looking markets up by day. */
  date: string | null;
}

/** What `GET /api/markets` can ask for: every given field must equal the entry's. */
export interface MarketListFilter {
  eventId?: string | undefined;
  venue?: string | undefined;
  date?: string | undefined;
  marketType?: string | undefined;
}

/** The index entry of a job's file, from its first market. */
export function indexedMarket(
  jobId: string,
  source: SourceObject,
  { marketId, definition }: FirstMarket,
): IndexedMarket {
  const field = (value: unknown) => textOf(value) || null;
  const marketTime = field(definition.marketTime);
  return {
    marketId,
    bucket: source.bucket,
    object: source.name,
    generation: source.generation,
    jobId,
    eventId: field(definition.eventId),
    eventName: field(definition.eventName),
    eventTypeId: field(definition.eventTypeId),
    venue: field(definition.venue),
    countryCode: field(definition.countryCode),
    marketType: field(definition.marketType),
    marketTime,
    date: marketTime === null ? null : marketTime.slice(0, 10),
  };
}

import { z } from 'zod';
import { ApingError, RPC_ERRORS, RpcError } from './aping-errors.js';
import type { MarketBook } from './market-schemas.js';
import { type ListedMarket, matchesFilter, sortMarkets } from './market-filter.js';
import {
  MarketFilterSchema,
  MAX_CATALOGUE_RESULTS,
  MAX_MARKET_IDS_PER_REQUEST,
} from './protocol.js';
import { DEFAULT_BEST_PRICES_DEPTH, projectBook, projectCatalogue } from './projections.js';
import { MarketProjectionSchema, MarketSortSchema, PriceDataSchema } from './vocabulary.js';
import { bookWeight, catalogueWeight, MAX_REQUEST_POINTS } from './weights.js';

/**
 * Where the read-only betting operations find their markets: the simulator's model, or the
 * recorder's latest poll.
 */
export interface MarketSource {
  /** The markets listMarketCatalogue can return at `now` (never CLOSED ones). */
  catalogueMarkets(now: number): ListedMarket[];
  /**
   * Books with every price data and whole ladders for the ids it knows (CLOSED ones too), in
   * the order asked; unknown ids are left out, as Betfair does.
   */
  marketBooks(marketIds: readonly string[], now: number): MarketBook[];
}

const isoTime = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'not a date-time');

/**
 * Betfair's MarketFilter as the operations read it; fields no source models (competitionIds,
 * withOrders, raceTypes and any others) are accepted unchecked and ignored.
 */
export const marketFilterSchema = MarketFilterSchema.omit({
  competitionIds: true,
  withOrders: true,
  raceTypes: true,
}).extend({
  marketStartTime: z.object({ from: isoTime.optional(), to: isoTime.optional() }).optional(),
});

/** maxResults arrives as a number or, from many clients, as a numeric string ("200"). */
const maxResults = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);

/** listMarketCatalogue's parameters; the limits are checked after, with Betfair's codes. */
export const catalogueParamsSchema = z.looseObject({
  filter: marketFilterSchema,
  marketProjection: z.array(MarketProjectionSchema).optional(),
  sort: MarketSortSchema.optional(),
  maxResults,
  locale: z.string().optional(),
});

const priceProjectionSchema = z.looseObject({
  priceData: z.array(PriceDataSchema).optional(),
  exBestOffersOverrides: z.looseObject({ bestPricesDepth: z.number().int().optional() }).optional(),
  virtualise: z.boolean().optional(),
  rolloverStakes: z.boolean().optional(),
});

/** listMarketBook's parameters; order and match projections are accepted and ignored. */
export const bookParamsSchema = z.looseObject({
  marketIds: z.array(z.string()),
  priceProjection: priceProjectionSchema.optional(),
  orderProjection: z.string().optional(),
  matchProjection: z.string().optional(),
  currencyCode: z.string().optional(),
  locale: z.string().optional(),
});

/** listRunnerBook's parameters: one market, one runner. */
export const runnerBookParamsSchema = bookParamsSchema.omit({ marketIds: true }).extend({
  marketId: z.string(),
  selectionId: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
  handicap: z.number().optional(),
});

/** The parameters of the operations that count markets: a filter and a locale. */
export const filterParamsSchema = z.looseObject({
  filter: marketFilterSchema,
  locale: z.string().optional(),
});

export type CatalogueParams = z.output<typeof catalogueParamsSchema>;
export type BookParams = z.output<typeof bookParamsSchema>;
type Filter = z.output<typeof marketFilterSchema>;

type Counted = [key: string, result: object] | undefined;

/** What each counting operation groups listed markets by: a key and the result it names. */
const COUNTED = {
  listEventTypes: ({ catalogue: { eventType } }: ListedMarket): Counted =>
    eventType && [eventType.id, { eventType }],
  listEvents: ({ catalogue: { event } }: ListedMarket): Counted => event && [event.id, { event }],
  listCountries: ({ catalogue: { event } }: ListedMarket): Counted =>
    event?.countryCode === undefined
      ? undefined
      : [event.countryCode, { countryCode: event.countryCode }],
  listVenues: ({ catalogue: { event } }: ListedMarket): Counted =>
    event?.venue === undefined ? undefined : [event.venue, { venue: event.venue }],
  listMarketTypes: ({ catalogue: { description } }: ListedMarket): Counted =>
    description && [description.marketType, { marketType: description.marketType }],
  listCompetitions: ({ catalogue: { competition, event } }: ListedMarket): Counted =>
    competition && [
      competition.id,
      { competition, ...(event?.countryCode ? { competitionRegion: event.countryCode } : {}) },
    ],
};

/** listTimeRanges' buckets of market start times (UTC). */
export const TIME_GRANULARITIES = ['DAYS', 'HOURS', 'MINUTES'] as const;
const BUCKET_MS: Record<(typeof TIME_GRANULARITIES)[number], number> = {
  DAYS: 86_400_000,
  HOURS: 3_600_000,
  MINUTES: 60_000,
};

/** listTimeRanges' parameters: a filter and the width of each range. */
export const timeRangeParamsSchema = z.looseObject({
  filter: marketFilterSchema,
  granularity: z.enum(TIME_GRANULARITIES),
});

/** The read-only betting operations answered from a MarketSource, by their API-NG names. */
export const OPERATIONS = [
  'listMarketCatalogue',
  'listMarketBook',
  'listRunnerBook',
  'listTimeRanges',
  ...(Object.keys(COUNTED) as (keyof typeof COUNTED)[]),
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** True for a name of an operation answered here. */
export function isOperation(name: string): name is Operation {
  return (OPERATIONS as readonly string[]).includes(name);
}

/** What a call did, besides its result: the weight it asked for, for the stats. */
export interface CallOutcome {
  result: unknown;
  weight: number;
}

/**
 * Runs one betting operation against `source` at `now`. Throws RpcError for parameters of the
 * wrong shape and ApingError for everything Betfair refuses (limits, bad values); `onWeight`
 * hears a market data request's weight before its limit is checked.
 */
export function runOperation(
  source: MarketSource,
  operation: Operation,
  params: unknown,
  now: number,
  onWeight: (weight: number) => void = () => {},
): CallOutcome {
  switch (operation) {
    case 'listMarketCatalogue':
      return listMarketCatalogue(source, parse(catalogueParamsSchema, params), now, onWeight);
    case 'listMarketBook':
      return listMarketBook(source, parse(bookParamsSchema, params), now, onWeight);
    case 'listRunnerBook': {
      const { marketId, selectionId, handicap, ...rest } = parse(runnerBookParamsSchema, params);
      const { result, weight } = listMarketBook(
        source,
        { ...rest, marketIds: [marketId] },
        now,
        onWeight,
      );
      const books = (result as MarketBook[]).map((book) => ({
        ...book,
        runners: book.runners.filter(
          (r) =>
            r.selectionId === selectionId && (handicap === undefined || r.handicap === handicap),
        ),
      }));
      return { result: books, weight };
    }
    case 'listTimeRanges': {
      const { filter, granularity } = parse(timeRangeParamsSchema, params);
      return { result: timeRanges(filtered(source, filter, now), granularity), weight: 0 };
    }
    default: {
      const { filter } = parse(filterParamsSchema, params);
      return { result: countMarkets(filtered(source, filter, now), COUNTED[operation]), weight: 0 };
    }
  }
}

function filtered(source: MarketSource, filter: Filter, now: number): ListedMarket[] {
  return source.catalogueMarkets(now).filter((market) => matchesFilter(market, filter));
}

/** One result per distinct key with `marketCount`, the markets that have it, ordered by key. */
function countMarkets(
  markets: readonly ListedMarket[],
  keyOf: (market: ListedMarket) => Counted,
): object[] {
  const counts = new Map<string, { result: object; marketCount: number }>();
  for (const market of markets) {
    const counted = keyOf(market);
    if (!counted) continue;
    const [key, result] = counted;
    const entry = counts.get(key) ?? { result, marketCount: 0 };
    entry.marketCount += 1;
    counts.set(key, entry);
  }
  return [...counts.keys()]
    .sort()
    .map((key) => counts.get(key)!)
    .map(({ result, marketCount }) => ({ ...result, marketCount }));
}

/** The filtered markets counted by the UTC day, hour or minute they start in, earliest first. */
function timeRanges(
  markets: readonly ListedMarket[],
  granularity: (typeof TIME_GRANULARITIES)[number],
): object[] {
  const width = BUCKET_MS[granularity];
  const counts = new Map<number, number>();
  for (const { catalogue } of markets) {
    const start = Date.parse(catalogue.marketStartTime ?? '');
    if (!Number.isFinite(start)) continue;
    const from = Math.floor(start / width) * width;
    counts.set(from, (counts.get(from) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([from, marketCount]) => ({
      timeRange: { from: new Date(from).toISOString(), to: new Date(from + width).toISOString() },
      marketCount,
    }));
}

function listMarketCatalogue(
  source: MarketSource,
  params: CatalogueParams,
  now: number,
  onWeight: (weight: number) => void,
): CallOutcome {
  if (params.maxResults < 1 || params.maxResults > MAX_CATALOGUE_RESULTS) {
    throw new ApingError(
      'INVALID_INPUT_DATA',
      `maxResults must be between 1 and ${MAX_CATALOGUE_RESULTS}`,
    );
  }
  const projections = new Set(params.marketProjection ?? []);
  const weight = catalogueWeight([...projections]) * params.maxResults;
  onWeight(weight);
  checkWeight(weight);
  const markets = sortMarkets(
    filtered(source, params.filter, now),
    params.sort ?? 'FIRST_TO_START',
  );
  const result = markets
    .slice(0, params.maxResults)
    .map((market) => projectCatalogue(market.catalogue, projections));
  return { result, weight };
}

function listMarketBook(
  source: MarketSource,
  params: BookParams,
  now: number,
  onWeight: (weight: number) => void,
): CallOutcome {
  const ids = params.marketIds;
  if (ids.length > MAX_MARKET_IDS_PER_REQUEST) {
    throw new ApingError(
      'REQUEST_SIZE_EXCEEDS_LIMIT',
      `at most ${MAX_MARKET_IDS_PER_REQUEST} marketIds a request, got ${ids.length}`,
    );
  }
  const priceData = params.priceProjection?.priceData ?? [];
  const depth =
    params.priceProjection?.exBestOffersOverrides?.bestPricesDepth ?? DEFAULT_BEST_PRICES_DEPTH;
  if (depth < 1) throw new ApingError('INVALID_INPUT_DATA', 'bestPricesDepth must be at least 1');
  const weight =
    bookWeight({ priceData, exBestOffersOverrides: { bestPricesDepth: depth } }) * ids.length;
  onWeight(weight);
  checkWeight(weight);
  const projection = { priceData: new Set(priceData), bestPricesDepth: depth };
  const result = source.marketBooks(ids, now).map((book) => projectBook(book, projection));
  return { result, weight };
}

function checkWeight(weight: number): void {
  if (weight > MAX_REQUEST_POINTS) {
    throw new ApingError(
      'TOO_MUCH_DATA',
      `request weight ${weight} exceeds the limit of ${MAX_REQUEST_POINTS}`,
    );
  }
}

function parse<S extends z.ZodType>(schema: S, params: unknown): z.output<S> {
  const parsed = schema.safeParse(params ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') || 'params';
  throw new RpcError(RPC_ERRORS.INVALID_PARAMS, `${where}: ${issue?.message ?? 'invalid'}`);
}

import type {
  ExchangePrices,
  MarketBook,
  MarketCatalogue,
  Runner,
  StartingPrices,
} from './market-schemas.js';
import type { MarketProjection, PriceData } from './vocabulary.js';

/** Betfair's ladder depth for EX_BEST_OFFERS when exBestOffersOverrides names none. */
export const DEFAULT_BEST_PRICES_DEPTH = 3;

/** The catalogue fields each projection brings; marketId, marketName and totalMatched always come. */
const CATALOGUE_FIELDS: Readonly<Record<string, (p: ReadonlySet<MarketProjection>) => boolean>> = {
  marketId: () => true,
  marketName: () => true,
  totalMatched: () => true,
  marketStartTime: (p) => p.has('MARKET_START_TIME'),
  description: (p) => p.has('MARKET_DESCRIPTION'),
  runners: (p) => p.has('RUNNER_DESCRIPTION') || p.has('RUNNER_METADATA'),
  eventType: (p) => p.has('EVENT_TYPE'),
  competition: (p) => p.has('COMPETITION'),
  event: (p) => p.has('EVENT'),
};

/**
 * A full listMarketCatalogue entry cut down to what `projections` ask for, fields in the
 * entry's own order; runner `metadata` stays only under RUNNER_METADATA.
 */
export function projectCatalogue(
  full: MarketCatalogue,
  projections: ReadonlySet<MarketProjection>,
): MarketCatalogue {
  const entry: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(full)) {
    if (CATALOGUE_FIELDS[key]?.(projections) ?? false) entry[key] = value;
  }
  if (full.runners && entry.runners && !projections.has('RUNNER_METADATA')) {
    entry.runners = full.runners.map(({ metadata: _metadata, ...runner }) => runner);
  }
  return entry as MarketCatalogue;
}

/** What a listMarketBook call asked to see. */
export interface BookProjection {
  priceData: ReadonlySet<PriceData>;
  /** Levels a side for EX_BEST_OFFERS. */
  bestPricesDepth: number;
}

/** SP fields by the price data that brings them. */
const SP_FIELDS: Readonly<Record<string, PriceData | undefined>> = {
  nearPrice: 'SP_TRADED',
  farPrice: 'SP_TRADED',
  actualSP: 'SP_TRADED',
  backStakeTaken: 'SP_AVAILABLE',
  layLiabilityTaken: 'SP_AVAILABLE',
};

/**
 * A full book (every price data, whole ladders) cut down to what `projection` asks for:
 * `ex` only for EX_* data, with offers to the asked depth (whole under EX_ALL_OFFERS) and the
 * traded ladder only under EX_TRADED; `sp` only for SP_* data, with that data's fields.
 */
export function projectBook(full: MarketBook, projection: BookProjection): MarketBook {
  return { ...full, runners: full.runners.map((runner) => projectRunner(runner, projection)) };
}

function projectRunner(full: Runner, projection: BookProjection): Runner {
  const { priceData } = projection;
  const wanted: Partial<Runner> = {};
  if (full.sp && (priceData.has('SP_AVAILABLE') || priceData.has('SP_TRADED'))) {
    wanted.sp = projectSp(full.sp, projection);
  }
  if (wantsExchange(projection)) wanted.ex = projectEx(full.ex ?? {}, projection);
  const runner: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(full)) {
    if (key !== 'sp' && key !== 'ex') runner[key] = value;
    else if (key in wanted) runner[key] = wanted[key];
  }
  return { ...runner, ...wanted } as Runner;
}

function projectSp(sp: StartingPrices, projection: BookProjection): StartingPrices {
  return Object.fromEntries(
    Object.entries(sp).filter(([key]) => {
      const data = SP_FIELDS[key];
      return data !== undefined && projection.priceData.has(data);
    }),
  );
}

/** True when the projection asks for any of the exchange (EX_*) data. */
function wantsExchange({ priceData }: BookProjection): boolean {
  return (
    priceData.has('EX_ALL_OFFERS') || priceData.has('EX_BEST_OFFERS') || priceData.has('EX_TRADED')
  );
}

function projectEx(ex: ExchangePrices, projection: BookProjection): ExchangePrices {
  const depth = offerDepth(projection);
  return {
    availableToBack: (ex.availableToBack ?? []).slice(0, depth),
    availableToLay: (ex.availableToLay ?? []).slice(0, depth),
    tradedVolume: projection.priceData.has('EX_TRADED') ? (ex.tradedVolume ?? []) : [],
  };
}

/** Levels a side the projection shows: all, the best N, or none. */
function offerDepth({ priceData, bestPricesDepth }: BookProjection): number {
  if (priceData.has('EX_ALL_OFFERS')) return Number.POSITIVE_INFINITY;
  if (priceData.has('EX_BEST_OFFERS')) return bestPricesDepth;
  return 0;
}

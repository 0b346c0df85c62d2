/**
 * The API-NG shapes the simulator answers with, named and nested exactly as Betfair sends them
 * (note `inplay`, lower case, on a market book).
 */

/** One price level: a price on the ladder and the money there. */
export interface PriceSize {
  price: number;
  size: number;
}

/** listMarketCatalogue's `description` (MARKET_DESCRIPTION projection). */
export interface MarketDescription {
  persistenceEnabled: boolean;
  bspMarket: boolean;
  marketTime: string;
  suspendTime: string;
  bettingType: 'ODDS';
  turnInPlayEnabled: boolean;
  marketType: string;
  regulator: string;
  marketBaseRate: number;
  discountAllowed: boolean;
  wallet: string;
  rules: string;
  rulesHasDate: boolean;
  eachWayDivisor?: number;
  raceType?: string;
  priceLadderDescription: { type: 'CLASSIC' };
}

/** A runner in listMarketCatalogue (RUNNER_DESCRIPTION, RUNNER_METADATA projections). */
export interface RunnerCatalog {
  selectionId: number;
  runnerName: string;
  handicap: number;
  sortPriority: number;
  metadata?: Record<string, string | null>;
}

/** Betfair's event, as the EVENT projection gives it for a race meeting. */
export interface BetfairEvent {
  id: string;
  name: string;
  countryCode: string;
  timezone: string;
  venue: string;
  openDate: string;
}

/** One listMarketCatalogue result. */
export interface MarketCatalogue {
  marketId: string;
  marketName: string;
  marketStartTime?: string;
  description?: MarketDescription;
  totalMatched: number;
  runners?: RunnerCatalog[];
  eventType?: { id: string; name: string };
  event?: BetfairEvent;
}

/** Betfair Starting Price data for a runner (SP_AVAILABLE, SP_TRADED projections). */
export interface StartingPrices {
  nearPrice?: number;
  farPrice?: number;
  backStakeTaken?: PriceSize[];
  layLiabilityTaken?: PriceSize[];
  /** "NaN" for a non-runner, as Betfair sends it. */
  actualSP?: number | 'NaN';
}

/** Exchange prices for a runner (EX_* projections). */
export interface ExchangePrices {
  availableToBack: PriceSize[];
  availableToLay: PriceSize[];
  tradedVolume: PriceSize[];
}

/** Betfair's runner statuses as the simulator uses them. */
export const RUNNER_STATUSES = ['ACTIVE', 'WINNER', 'LOSER', 'REMOVED'] as const;
export type RunnerStatus = (typeof RUNNER_STATUSES)[number];

/** A runner in listMarketBook. */
export interface RunnerBook {
  selectionId: number;
  handicap: number;
  status: RunnerStatus;
  adjustmentFactor: number;
  lastPriceTraded?: number;
  totalMatched?: number;
  removalDate?: string;
  sp?: StartingPrices;
  ex?: ExchangePrices;
}

/** Betfair's market statuses. */
export const MARKET_STATUSES = ['INACTIVE', 'OPEN', 'SUSPENDED', 'CLOSED'] as const;
export type MarketStatus = (typeof MARKET_STATUSES)[number];

/** One listMarketBook result. */
export interface MarketBook {
  marketId: string;
  isMarketDataDelayed: boolean;
  status: MarketStatus;
  betDelay: number;
  bspReconciled: boolean;
  complete: boolean;
  inplay: boolean;
  numberOfWinners: number;
  numberOfRunners: number;
  numberOfActiveRunners: number;
  lastMatchTime?: string;
  totalMatched: number;
  totalAvailable: number;
  crossMatching: boolean;
  runnersVoidable: boolean;
  version: number;
  runners: RunnerBook[];
}

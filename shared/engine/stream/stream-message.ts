import type { MarketStatus, RunnerStatus } from '../../betfair/vocabulary.js';

// The Exchange Stream messages of Betfair's historical files and live stream, as JSON.parse
// returns them. Deliberately plain interfaces, not schemas: the engine checks only what it reads,
// as it reads it, because validating every line would cost more than applying it.

/** A number as the stream writes it: JSON numbers, or "NaN" / "Infinity" where none exists. */
export type StreamNumber = number | string;

/** `[price, size]`: one key of a price-keyed ladder (atb, atl, trd, spb, spl). */
export type PriceSizePair = [price: number, size: number];

/** `[level, price, size]`: one key of a level-keyed ladder (batb, batl, bdatb, bdatl). */
export type LevelPriceSizeTriple = [level: number, price: number, size: number];

/** One runner of a marketDefinition. */
export interface DefinitionRunner {
  id: number;
  hc?: number;
  sortPriority?: number;
  status: RunnerStatus;
  adjustmentFactor?: StreamNumber;
  bsp?: StreamNumber;
  removalDate?: string;
  name?: string;
}

/** A marketDefinition: replaces the cached one whole whenever it appears. */
export interface MarketDefinition {
  status: MarketStatus;
  inPlay: boolean;
  runners: DefinitionRunner[];
  marketTime?: string;
  suspendTime?: string;
  openDate?: string;
  settledTime?: string;
  bspMarket?: boolean;
  bspReconciled?: boolean;
  complete?: boolean;
  crossMatching?: boolean;
  runnersVoidable?: boolean;
  numberOfWinners?: number;
  numberOfActiveRunners?: number;
  betDelay?: number;
  version?: number;
  marketType?: string;
  bettingType?: string;
  countryCode?: string;
  venue?: string;
  timezone?: string;
  eventId?: string;
  eventName?: string;
  eventTypeId?: string;
  /** The market's name; historical files carry it, the live stream does not. */
  name?: string;
  [field: string]: unknown;
}

/** Changes to one runner; absent fields are unchanged. */
export interface RunnerChange {
  id: number;
  hc?: number;
  atb?: PriceSizePair[];
  atl?: PriceSizePair[];
  trd?: PriceSizePair[];
  spb?: PriceSizePair[];
  spl?: PriceSizePair[];
  batb?: LevelPriceSizeTriple[];
  batl?: LevelPriceSizeTriple[];
  bdatb?: LevelPriceSizeTriple[];
  bdatl?: LevelPriceSizeTriple[];
  ltp?: StreamNumber;
  tv?: StreamNumber;
  spn?: StreamNumber;
  spf?: StreamNumber;
}

/** Changes to one market. */
export interface MarketChange {
  id: string;
  /** A full image: the cached market is replaced. */
  img?: boolean;
  marketDefinition?: MarketDefinition;
  rc?: RunnerChange[];
  tv?: StreamNumber;
  con?: boolean;
}

/** One line of a stream file. Only `mcm` lines change markets. */
export interface StreamMessage {
  op: string;
  pt?: number;
  clk?: string;
  ct?: string;
  mc?: MarketChange[];
}

/** A stream number as a JS number: "NaN", "Infinity" and anything unreadable become NaN/±Infinity. */
export function streamNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'Infinity' || value === 'INF') return Infinity;
  if (value === '-Infinity' || value === '-INF') return -Infinity;
  return NaN;
}

/** The cache key of runner (id, hc): the id alone for handicap 0, the common case. */
export function runnerKey(id: number, hc: number | undefined): number | string {
  return hc === undefined || hc === 0 ? id : `${id}:${hc}`;
}

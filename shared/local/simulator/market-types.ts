/**
 * The simulator answers with the client's own API-NG types (shared/betfair/market-schemas.ts).
 * They are narrowed where the simulator always sends more than Betfair promises: every price is
 * a number on the ladder, an `ex` always has its three ladders and a catalogue entry always has
 * its totalMatched.
 */
import type {
  ExchangePrices,
  MarketBook,
  MarketCatalogue,
  PriceSize,
  Runner,
} from '../../betfair/market-schemas.js';

/** `T` with the properties of `U` in place of its own; T's other fields (and index) are kept. */
type Narrowed<T, U extends { [K in keyof U]: K extends keyof T ? T[K] : never }> = {
  [K in keyof T as K extends keyof U ? never : K]: T[K];
} & U;

/** A price level the simulator quotes: a number on the ladder, never one of Betfair's "NaN". */
export type LadderPriceSize = Narrowed<PriceSize, { price: number }>;

/** Exchange prices (EX_* projections): all three ladders, empty when there is nothing. */
export type SimulatedExchangePrices = Narrowed<
  ExchangePrices,
  {
    availableToBack: LadderPriceSize[];
    availableToLay: LadderPriceSize[];
    tradedVolume: LadderPriceSize[];
  }
>;

/** A runner in the simulator's listMarketBook. */
export type SimulatedRunner = Narrowed<Runner, { ex?: SimulatedExchangePrices }>;

/** One of the simulator's listMarketBook results. */
export type SimulatedMarketBook = Narrowed<MarketBook, { runners: SimulatedRunner[] }>;

/** One of the simulator's listMarketCatalogue results. */
export type SimulatedMarketCatalogue = Narrowed<MarketCatalogue, { totalMatched: number }>;

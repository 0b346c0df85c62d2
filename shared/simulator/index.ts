export { startExchangeSimulator, DEFAULT_APP_KEY } from './server.js';
export type { ExchangeSimulator, ExchangeSimulatorOptions } from './server.js';
export type { SimulatorState } from './state.js';
export type { Clock, SimulatorClock } from './clock.js';
export type { ControlRequest } from './http/control-schema.js';
export type { SimulatorStats } from './control/stats.js';
export {
  bookWeight,
  catalogueWeight,
  MAX_WEIGHT,
  MAX_MARKET_IDS,
  MAX_RESULTS,
} from './api/weights.js';
export { ANGX_NUMBERS, APING_ERROR_CODES, type ApingErrorCode } from './api/aping-error.js';
export type * from './betfair-types.js';

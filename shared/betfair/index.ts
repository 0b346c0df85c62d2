// Public surface of the Betfair API-NG module.
export * from './schemas.js';
export * from './weights.js';
export * from './betfair-errors.js';
export { BetfairClient } from './betfair-client.js';
export * from './client-options.js';
export type { FetchLike } from './http-post.js';

/** The recorder's and the feed's error codes (Betfair's own failures are BETFAIR.* codes). */
export const LIVE_ERROR_CODES = [
  'RECORDER.NO_SESSION',
  'RECORDER.NO_OPEN_STREAM',
  'FEED.NO_DATA',
  'FEED.MARKET_NOT_FOUND',
  'FEED.CORRUPT_SNAPSHOT',
] as const;

declare module '../platform/errors.js' {
  interface ErrorCodes {
    live: (typeof LIVE_ERROR_CODES)[number];
  }
}

import type { KnownMarket } from './markets.js';
import { credentialsOf, EVENT_TYPE_ID, maskSecret, type RecorderSettings } from './settings.js';
import type { RecorderState } from './state.js';

/** GET /api/config: the seed's field names, the app key and session masked. */
export function configView(settings: RecorderSettings) {
  return {
    betfair_app_key: maskSecret(settings.appKey),
    betfair_ssoid: maskSecret(settings.ssoid),
    gcs_project_id: settings.projectId,
    gcs_bucket_name: settings.bucket,
    gcs_base_path: settings.basePath,
    poll_interval_seconds: settings.pollIntervalSeconds,
    fast_cadence_minutes: settings.cadence.minutes,
    fast_cadence_polls: settings.cadence.pollsPerMinute,
    event_type_id: EVENT_TYPE_ID,
    countries: settings.countries,
    market_types: settings.marketTypes,
    price_projection: settings.priceProjection,
    catalogue_projections: settings.catalogueProjections,
  };
}

/** One row of `/api/state`'s `markets`. */
export function marketView(market: KnownMarket, now: Date) {
  const start = market.marketStartTime ? Date.parse(market.marketStartTime) : NaN;
  return {
    marketId: market.marketId,
    marketName: market.marketName,
    marketStartTime: market.marketStartTime,
    venue: market.venue,
    event: market.event,
    runners: market.runners,
    status: market.status,
    inPlay: market.inPlay,
    totalMatched: market.totalMatched,
    minutesToOff: Number.isNaN(start) ? null : Math.round((start - now.getTime()) / 6000) / 10,
    hasBookData: market.hasBookData,
    /** The market's filed stream file in the recorder's bucket; null while it is open. */
    streamFile: market.streamFile ?? null,
  };
}

/** GET /api/state: the seed's full dashboard structure. */
export function stateView(
  state: RecorderState,
  markets: readonly KnownMarket[],
  settings: RecorderSettings,
  now: Date,
) {
  const byStart = [...markets].sort((a, b) =>
    (a.marketStartTime ?? '').localeCompare(b.marketStartTime ?? ''),
  );
  return {
    status: state.status,
    authenticated: credentialsOf(settings) !== undefined && state.status !== 'AUTH_ERROR',
    date: state.date,
    lastPoll: state.lastPoll,
    pollCount: state.pollCount,
    pollInterval: settings.pollIntervalSeconds,
    stats: state.stats,
    gcs: {
      enabled: true,
      configured: settings.bucket !== '',
      bucket: settings.bucket,
      base_path: settings.basePath,
      ...state.gcs,
    },
    lastCataloguePath: state.lastCataloguePath,
    lastBooksPath: state.lastBooksPath,
    lastKeepAlive: state.lastKeepAlive,
    markets: byStart.map((market) => marketView(market, now)),
    errors: state.errors,
    log: state.log,
    config: configView(settings),
  };
}

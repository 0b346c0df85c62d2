import type { Config } from '../config/config.js';
import type { MarketProjection, PriceData } from '../betfair/projections.js';

/** The catalogue projections the seed asks for: everything a dashboard or an app needs. */
export const CATALOGUE_PROJECTIONS: readonly MarketProjection[] = [
  'EVENT',
  'EVENT_TYPE',
  'COMPETITION',
  'MARKET_START_TIME',
  'MARKET_DESCRIPTION',
  'RUNNER_DESCRIPTION',
  'RUNNER_METADATA',
];

/** Horse racing. */
export const EVENT_TYPE_ID = '7';

/** Everything one poll needs to know, after the stored overlay and secrets are applied. */
export interface RecorderSettings {
  appKey?: string;
  ssoid?: string;
  apiUrl: string;
  identityUrl: string;
  projectId: string;
  bucket: string;
  basePath: string;
  countries: string[];
  marketTypes: string[];
  priceProjection: PriceData[];
  catalogueProjections: MarketProjection[];
  pollIntervalSeconds: number;
}

/** Non-secret settings changed at run time (POST /api/config), in the seed's field names. */
export interface ConfigOverlay {
  gcs_project_id?: string;
  gcs_bucket_name?: string;
  gcs_base_path?: string;
  poll_interval_seconds?: number;
  countries?: string[];
  market_types?: string[];
  price_projection?: PriceData[];
  catalogue_projections?: MarketProjection[];
}

/** The names the Betfair credentials are stored under in the secret store. */
export const SECRET_NAMES = {
  appKey: 'betfair-app-key',
  ssoid: 'betfair-ssoid',
} as const;

/** The stored Betfair credentials; either may be missing. */
export interface StoredSecrets {
  appKey?: string;
  ssoid?: string;
}

/** Environment first, then the stored overlay, then the stored secrets: the seed's load order. */
export function resolveSettings(
  config: Pick<Config, 'recorder' | 'projectId'>,
  overlay: ConfigOverlay,
  secrets: StoredSecrets,
): RecorderSettings {
  const env = config.recorder;
  return {
    appKey: secrets.appKey ?? env.appKey,
    ssoid: secrets.ssoid ?? env.ssoid,
    apiUrl: env.apiUrl,
    identityUrl: env.identityUrl,
    projectId: overlay.gcs_project_id ?? config.projectId,
    bucket: overlay.gcs_bucket_name ?? env.bucket,
    basePath: overlay.gcs_base_path ?? env.basePath,
    countries: overlay.countries ?? env.countries,
    marketTypes: overlay.market_types ?? env.marketTypes,
    priceProjection: overlay.price_projection ?? env.priceProjection,
    catalogueProjections: overlay.catalogue_projections ?? [...CATALOGUE_PROJECTIONS],
    pollIntervalSeconds: overlay.poll_interval_seconds ?? env.pollIntervalSeconds,
  };
}

/** Both credentials, or undefined when either is missing. */
export function credentialsOf(
  settings: RecorderSettings,
): { appKey: string; ssoid: string } | undefined {
  const { appKey, ssoid } = settings;
  return appKey && ssoid ? { appKey, ssoid } : undefined;
}

import { z } from 'zod';
import {
  HORSE_RACING,
  type MarketProjection,
  type PriceData,
  MarketProjectionSchema,
  PriceDataSchema,
} from '../../betfair/vocabulary.js';
import type { Config } from '../../platform/config.js';

/** Shorter secrets are shown only as stars: their ends would give too much away. */
const MIN_PARTLY_SHOWN = 16;

/** A secret for display: `abcd…wxyz` for long values, `****` for short ones, null when unset. */
export function maskSecret(value: string | undefined): string | null {
  if (!value) return null;
  if (value.length < MIN_PARTLY_SHOWN) return '****';
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}

/** True for what maskSecret shows, so a form posting back a masked value changes nothing. */
export function isMasked(value: string): boolean {
  return value === '****' || /^.{4}….{4}$/u.test(value);
}

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

/** The event type the recorder follows: horse racing. */
export const EVENT_TYPE_ID = HORSE_RACING.id;

/**
 * The faster cadence near the off: markets within `minutes` of their scheduled start (before or
 * after it) are polled `pollsPerMinute` times a minute, the scheduled poll included. Off when
 * `minutes` is 0.
 */
export interface Cadence {
  minutes: number;
  pollsPerMinute: number;
}

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
  /** The faster cadence near the off. */
  cadence: Cadence;
}

/** Non-secret settings changed at run time (POST /api/config), in the seed's field names. */
export interface ConfigOverlay {
  gcs_project_id?: string;
  gcs_bucket_name?: string;
  gcs_base_path?: string;
  poll_interval_seconds?: number;
  fast_cadence_minutes?: number;
  fast_cadence_polls?: number;
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
    cadence: {
      minutes: overlay.fast_cadence_minutes ?? env.fastCadenceMinutes,
      pollsPerMinute: overlay.fast_cadence_polls ?? env.fastCadencePolls,
    },
  };
}

/** Both credentials, or undefined when either is missing. */
export function credentialsOf(
  settings: RecorderSettings,
): { appKey: string; ssoid: string } | undefined {
  const { appKey, ssoid } = settings;
  return appKey && ssoid ? { appKey, ssoid } : undefined;
}

const country = z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as "GB"');
const marketType = z.string().regex(/^[A-Z_]+$/, 'must be a market type code such as "WIN"');

/** The non-secret settings, in the seed's field names; stored in `recorder/config`. */
export const ConfigOverlaySchema = z.object({
  gcs_project_id: z.string().min(1).max(100).optional(),
  gcs_bucket_name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, 'must be a Cloud Storage bucket name')
    .optional(),
  gcs_base_path: z
    .string()
    .regex(/^[\w.-]+(\/[\w.-]+)*$/, 'must be a path without leading or trailing "/"')
    .optional(),
  poll_interval_seconds: z
    .number()
    .int()
    .min(60, 'must be at least 60: the scheduler calls once a minute')
    .max(3600)
    .optional(),
  fast_cadence_minutes: z
    .number()
    .int()
    .min(0, 'must be 0 (off) to 60 minutes either side of the off')
    .max(60, 'must be 0 (off) to 60 minutes either side of the off')
    .optional(),
  fast_cadence_polls: z
    .number()
    .int()
    .min(2, 'must be 2 to 12 polls a minute: Betfair allows 5 calls a second for a market')
    .max(12, 'must be 2 to 12 polls a minute: Betfair allows 5 calls a second for a market')
    .optional(),
  countries: z.array(country).min(1).optional(),
  market_types: z.array(marketType).optional(),
  price_projection: z.array(PriceDataSchema).optional(),
  catalogue_projections: z.array(MarketProjectionSchema).optional(),
});

/** POST /api/config: any of the seed's fields; the two secrets go to the secret store. */
export const ConfigUpdateSchema = ConfigOverlaySchema.extend({
  betfair_app_key: z.string().trim().min(1).max(200).optional(),
  betfair_ssoid: z.string().trim().min(1).max(500).optional(),
}).strict();
export type ConfigUpdate = z.infer<typeof ConfigUpdateSchema>;

/** POST /api/validate-session; the app key defaults to the configured one. */
export const ValidateSessionSchema = z
  .object({
    ssoid: z.string().trim().min(1, 'ssoid is required: paste the SSOID from a Betfair login'),
    app_key: z.string().trim().min(1).optional(),
  })
  .strict();

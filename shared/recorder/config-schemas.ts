import { z } from 'zod';
import { MarketProjectionSchema, PriceDataSchema } from '../betfair/projections.js';

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

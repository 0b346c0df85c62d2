import { z } from 'zod';
import { csvList, flag, integer } from '../shared/platform/config.js';

const bucketName = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, 'must be a bucket name');
const csv = csvList(bucketName);

/**
 * The stack's parameters, each from one environment variable (see the README's deployment
 * section). Only `CHIMERA_PROJECT` is required; bucket names default to names derived from it,
 * since bucket names are global.
 */
const schema = z.object({
  CHIMERA_PROJECT: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'must be a project id'),
  CHIMERA_REGION: z.string().min(1).default('europe-west2'),
  /** Firestore's location: a region (the default, the functions' region) or `eur3`/`nam5`. */
  CHIMERA_FIRESTORE_LOCATION: z.string().min(1).optional(),
  CHIMERA_TARGET_BUCKET: bucketName.optional(),
  CHIMERA_RECORDER_BUCKET: bucketName.optional(),
  CHIMERA_SOURCES_BUCKET: bucketName.optional(),
  /** Buckets holding the user's Betfair files, readable (never writable) by the pipeline. */
  CHIMERA_SOURCE_BUCKETS: csv.default([]),
  /** More buckets the pipeline may write shards to, besides the target bucket it owns. */
  CHIMERA_EXTRA_TARGET_BUCKETS: csv.default([]),
  /**
   * IAM members (`user:…`, `group:…`, `serviceAccount:…`) allowed to call the pipeline API,
   * the recorder API and (when it is not public) the feed.
   */
  CHIMERA_INVOKERS: csvList(
    z.string().regex(/^(user|group|serviceAccount|domain):\S+$/, 'must be IAM members'),
  ).default([]),
  /**
   * The local port of `gcloud run services proxy web`: pages at http://localhost:<port> (and
   * 127.0.0.1) may then submit and change things through the console. None: only the console's
   * own address may.
   */
  CHIMERA_CONSOLE_PROXY_PORT: integer(1024, 65535).optional(),
  /** Serve the feed to anyone on the internet; see the README for the risk. */
  CHIMERA_PUBLIC_FEED: flag.default(false),
  /** Keep feed instances warm, so a consumer never waits for a cold start. */
  CHIMERA_FEED_MIN_INSTANCES: integer(0, 10).default(0),
  CHIMERA_DECOMPRESS_MAX_INSTANCES: integer(1, 1000).default(50),
  /** Days before `_parts/` objects (a job's intermediate output) are deleted. */
  CHIMERA_PARTS_RETENTION_DAYS: integer(1, 365).default(7),
  /** The BigQuery dataset direct_to_bigquery jobs load into, and its location (the region). */
  CHIMERA_WAREHOUSE_DATASET: z
    .string()
    .regex(/^\w{1,1024}$/, 'must be a BigQuery dataset name')
    .default('chimera'),
  CHIMERA_WAREHOUSE_LOCATION: z.string().min(1).optional(),
  /** More datasets jobs may load into, declared and granted like the first. */
  CHIMERA_WAREHOUSE_EXTRA_DATASETS: csvList(
    z.string().regex(/^\w{1,1024}$/, 'must be BigQuery dataset names'),
  ).default([]),
  /** Email notified by the alert policies; none means the alerts only show in the console. */
  CHIMERA_ALERT_EMAIL: z.email().optional(),
  CHIMERA_LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR']).default('INFO'),
  /** A bucket (made beforehand, versioned) holding Terraform's state; none keeps it locally. */
  CHIMERA_STATE_BUCKET: bucketName.optional(),
  CHIMERA_STATE_PREFIX: z
    .string()
    .regex(/^[\w.-]+(\/[\w.-]+)*$/, 'must be a path without leading or trailing "/"')
    .default('chimera'),
  /**
   * The project already has a `(default)` Firestore database (one per project, never deleted
   * by this stack): adopt it with an import instead of failing to create it.
   */
  CHIMERA_FIRESTORE_EXISTS: flag.default(false),
});

/** Validated stack parameters. */
export interface StackOptions {
  project: string;
  region: string;
  firestoreLocation: string;
  targetBucket: string;
  recorderBucket: string;
  sourcesBucket: string;
  sourceBuckets: string[];
  extraTargetBuckets: string[];
  invokers: string[];
  publicFeed: boolean;
  feedMinInstances: number;
  decompressMaxInstances: number;
  partsRetentionDays: number;
  /** The port of a local `gcloud run services proxy` to the console, if any. */
  consoleProxyPort?: number;
  warehouseDataset: string;
  /** Every dataset jobs may load into: the default first, then the extra ones. */
  warehouseDatasets: string[];
  warehouseLocation: string;
  alertEmail?: string;
  logLevel: 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR';
  /** Terraform state in Cloud Storage: `gs://<bucket>/<prefix>/`; unset means a local file. */
  state?: { bucket: string; prefix: string };
  firestoreExists: boolean;
}

/** Reads and validates the stack parameters; a wrong value throws naming its variable. */
export function stackOptions(env: Record<string, string | undefined>): StackOptions {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => !!value));
  const parsed = schema.safeParse(set);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid stack options: ${problems.join('; ')}`);
  }
  const s = parsed.data;
  return {
    project: s.CHIMERA_PROJECT,
    region: s.CHIMERA_REGION,
    firestoreLocation: s.CHIMERA_FIRESTORE_LOCATION ?? s.CHIMERA_REGION,
    targetBucket: s.CHIMERA_TARGET_BUCKET ?? `${s.CHIMERA_PROJECT}-chimera-output`,
    recorderBucket: s.CHIMERA_RECORDER_BUCKET ?? `${s.CHIMERA_PROJECT}-chimera-recorder`,
    sourcesBucket: s.CHIMERA_SOURCES_BUCKET ?? `${s.CHIMERA_PROJECT}-chimera-sources`,
    sourceBuckets: s.CHIMERA_SOURCE_BUCKETS,
    extraTargetBuckets: s.CHIMERA_EXTRA_TARGET_BUCKETS,
    invokers: s.CHIMERA_INVOKERS,
    consoleProxyPort: s.CHIMERA_CONSOLE_PROXY_PORT,
    publicFeed: s.CHIMERA_PUBLIC_FEED,
    feedMinInstances: s.CHIMERA_FEED_MIN_INSTANCES,
    decompressMaxInstances: s.CHIMERA_DECOMPRESS_MAX_INSTANCES,
    partsRetentionDays: s.CHIMERA_PARTS_RETENTION_DAYS,
    warehouseDataset: s.CHIMERA_WAREHOUSE_DATASET,
    warehouseDatasets: [
      ...new Set([s.CHIMERA_WAREHOUSE_DATASET, ...s.CHIMERA_WAREHOUSE_EXTRA_DATASETS]),
    ],
    warehouseLocation: s.CHIMERA_WAREHOUSE_LOCATION ?? s.CHIMERA_REGION,
    alertEmail: s.CHIMERA_ALERT_EMAIL,
    logLevel: s.CHIMERA_LOG_LEVEL,
    state: s.CHIMERA_STATE_BUCKET
      ? { bucket: s.CHIMERA_STATE_BUCKET, prefix: s.CHIMERA_STATE_PREFIX }
      : undefined,
    firestoreExists: s.CHIMERA_FIRESTORE_EXISTS,
  };
}

import os from 'node:os';
import { z } from 'zod';
import { PRICE_DATA, type PriceData } from '../betfair/vocabulary.js';
import { AppError } from './errors.js';

// Parsers for settings read from environment variables, shared by the runtime configuration
// (config.ts) and the deployment stack's options (cdktf/options.ts).

/** A whole number in [min, max], from its decimal text. */
export const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** `true` or `false`, as a boolean. */
export const flag = z.enum(['true', 'false']).transform((text) => text === 'true');

/** A comma-separated list (`GB,IE`), blanks dropped, each item checked by `item`. */
export function csvList<T extends z.ZodType<string, string>>(item: T) {
  return z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));
}

const optionalHost = z
  .string()
  .regex(/^[\w.-]+:\d+$/, 'must look like host:port')
  .optional();

/**
 * Every setting, its environment variable and default. The README's configuration table
 * lists the same variables; nothing else reads process.env.
 */
const schema = z.object({
  CHIMERA_MODE: z.enum(['local', 'cloud']).default('local'),
  GOOGLE_CLOUD_PROJECT: z.string().min(1).default('chimera-local'),
  CHIMERA_REGION: z.string().min(1).default('europe-west2'),
  PORT: integer(0, 65535).default(8080),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR']).default('INFO'),
  CHIMERA_DATA_DIR: z.string().min(1).default('.data'),
  CHIMERA_LOCAL_URL: z.url().optional(),
  FIRESTORE_EMULATOR_HOST: optionalHost,
  STORAGE_EMULATOR_HOST: z.url().optional(),
  BUS_MAX_ATTEMPTS: integer(1, 100).default(5),
  BUS_CONCURRENCY: integer(1, 256).default(os.availableParallelism()),
  BUS_ACK_DEADLINE_SECONDS: integer(1, 3600).default(600),
  BUS_MIN_BACKOFF_MS: integer(0, 600_000).default(1000),
  BUS_MAX_BACKOFF_MS: integer(0, 3_600_000).default(60_000),
  CHIMERA_SAMPLE_JOB: flag.default(true),
  BUS_DUPLICATE_DELIVERIES: flag.default(false),
  BZ2_WORKERS: integer(1, 64).default(os.availableParallelism()),
  DECOMPRESS_MAX_ATTEMPTS: integer(1, 100).default(4),
  MAX_FILES_PER_JOB: integer(1, 10_000_000).default(100_000),
  PLAN_PAGE_SIZE: integer(1, 1000).default(250),
  JOB_POLL_SECONDS: integer(1, 300).default(5),
  JOB_WORKFLOW: z
    .string()
    .regex(/^[A-Za-z][\w-]{0,63}$/, 'must be a workflow id')
    .default('decompress-job'),
  PIPELINE_API_URL: z.url().optional(),
  DECOMPRESS_TOPIC: z
    .string()
    .regex(/^[A-Za-z][\w.~%+-]{2,254}$/, 'must be a Pub/Sub topic id')
    .default('chimera-decompress'),
  BETFAIR_APP_KEY: z.string().optional(),
  BETFAIR_SSOID: z.string().optional(),
  BETFAIR_API_URL: z.url().default('https://api.betfair.com/exchange/betting/json-rpc/v1'),
  BETFAIR_IDENTITY_URL: z.url().default('https://identitysso.betfair.com/api'),
  RECORDER_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, 'must be a bucket name')
    .default('chimera-recorder'),
  RECORDER_BASE_PATH: z
    .string()
    .regex(/^[\w.-]+(\/[\w.-]+)*$/, 'must be a path without leading or trailing "/"')
    .default('betfair-live'),
  RECORDER_COUNTRIES: csvList(z.string().regex(/^[A-Z]{2}$/, 'must be ISO country codes')).default([
    'GB',
    'IE',
  ]),
  RECORDER_MARKET_TYPES: csvList(
    z.string().regex(/^[A-Z_]+$/, 'must be market type codes'),
  ).default([]),
  RECORDER_PRICE_PROJECTION: csvList(z.enum(PRICE_DATA)).default([
    'EX_BEST_OFFERS',
    'EX_ALL_OFFERS',
    'EX_TRADED',
    'SP_AVAILABLE',
    'SP_TRADED',
  ]),
  RECORDER_POLL_INTERVAL_SECONDS: integer(60, 3600).default(60),
  RECORDER_AUTOSTART: flag.default(false),
});

/** The validated settings, with names the code reads naturally. */
export interface Config {
  mode: 'local' | 'cloud';
  projectId: string;
  region: string;
  port: number;
  logLevel: 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR';
  /** Root of local state: buckets live in `<dataDir>/buckets/<bucket>/`. */
  dataDir: string;
  /** Where functions reach the embedded runtime's Pub/Sub and Workflows endpoints locally. */
  localUrl: string;
  firestoreEmulatorHost?: string;
  storageEmulatorHost?: string;
  /** `npm start` fills a sample bucket and runs a job on it the first time it runs. */
  sampleJob: boolean;
  /** Threads decoding bzip2 blocks in one function instance. */
  bz2Workers: number;
  /** Deliveries of one file before it is marked failed; below the dead-letter threshold. */
  decompressMaxAttempts: number;
  /** The fan-out topic carrying one message per file. */
  decompressTopic: string;
  jobs: {
    maxFiles: number;
    /** Files per plan page, the unit the workflow publishes at once. */
    pageSize: number;
    /** How often the workflow checks a job's progress. */
    pollSeconds: number;
    workflow: string;
    /** Where the workflow reaches the pipeline API. */
    apiUrl: string;
  };
  bus: {
    maxAttempts: number;
    concurrency: number;
    ackDeadlineMs: number;
    minBackoffMs: number;
    maxBackoffMs: number;
    /** Deliver every local event twice, to see that handlers are idempotent. */
    duplicate: boolean;
  };
  /** The live recorder's starting settings; the stored overlay may change them at run time. */
  recorder: {
    appKey?: string;
    /** The Betfair session token. */
    ssoid?: string;
    /** The JSON-RPC betting endpoint. */
    apiUrl: string;
    /** The identity API base; `/keepAlive` is appended. */
    identityUrl: string;
    bucket: string;
    basePath: string;
    countries: string[];
    /** Market type codes; empty records every type. */
    marketTypes: string[];
    priceProjection: PriceData[];
    pollIntervalSeconds: number;
    /** Start recording on the first poll when no recorder state exists yet. */
    autostart: boolean;
  };
}

/** Validates `env` once at start-up; a wrong value throws CONFIG.INVALID naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = schema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new AppError(
      'CONFIG.INVALID',
      'invalid',
      `Invalid configuration: ${problems.join('; ')}`,
    );
  }
  const s = parsed.data;
  const localUrl = s.CHIMERA_LOCAL_URL ?? `http://127.0.0.1:${s.PORT}`;
  return {
    mode: s.CHIMERA_MODE,
    projectId: s.GOOGLE_CLOUD_PROJECT,
    region: s.CHIMERA_REGION,
    port: s.PORT,
    logLevel: s.LOG_LEVEL,
    dataDir: s.CHIMERA_DATA_DIR,
    localUrl,
    firestoreEmulatorHost: s.FIRESTORE_EMULATOR_HOST,
    storageEmulatorHost: s.STORAGE_EMULATOR_HOST,
    sampleJob: s.CHIMERA_SAMPLE_JOB,
    bz2Workers: s.BZ2_WORKERS,
    decompressMaxAttempts: s.DECOMPRESS_MAX_ATTEMPTS,
    decompressTopic: s.DECOMPRESS_TOPIC,
    jobs: {
      maxFiles: s.MAX_FILES_PER_JOB,
      pageSize: s.PLAN_PAGE_SIZE,
      pollSeconds: s.JOB_POLL_SECONDS,
      workflow: s.JOB_WORKFLOW,
      apiUrl:
        s.PIPELINE_API_URL ??
        defaultApiUrl(s.CHIMERA_MODE, s.CHIMERA_REGION, s.GOOGLE_CLOUD_PROJECT, localUrl),
    },
    bus: {
      maxAttempts: s.BUS_MAX_ATTEMPTS,
      concurrency: s.BUS_CONCURRENCY,
      ackDeadlineMs: s.BUS_ACK_DEADLINE_SECONDS * 1000,
      minBackoffMs: s.BUS_MIN_BACKOFF_MS,
      maxBackoffMs: s.BUS_MAX_BACKOFF_MS,
      duplicate: s.BUS_DUPLICATE_DELIVERIES,
    },
    recorder: {
      appKey: s.BETFAIR_APP_KEY,
      ssoid: s.BETFAIR_SSOID,
      apiUrl: s.BETFAIR_API_URL,
      identityUrl: s.BETFAIR_IDENTITY_URL,
      bucket: s.RECORDER_BUCKET,
      basePath: s.RECORDER_BASE_PATH,
      countries: s.RECORDER_COUNTRIES,
      marketTypes: s.RECORDER_MARKET_TYPES,
      priceProjection: s.RECORDER_PRICE_PROJECTION,
      pollIntervalSeconds: s.RECORDER_POLL_INTERVAL_SECONDS,
      autostart: s.RECORDER_AUTOSTART,
    },
  };
}

/** An empty variable (`PORT=`) means "use the default", as shells and .env files intend. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]),
  );
}

/** The pipeline API's address: its Cloud Functions URL, or the local gateway. */
function defaultApiUrl(mode: string, region: string, project: string, localUrl: string): string {
  return mode === 'cloud'
    ? `https://${region}-${project}.cloudfunctions.net/pipeline-api`
    : localUrl;
}

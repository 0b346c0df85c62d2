import os from 'node:os';
import { z } from 'zod';
import { PRICE_DATA } from '../betfair/vocabulary.js';
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

/** A host name or IP address (an IPv6 one with or without brackets), kept without brackets. */
const hostName = z
  .string()
  .regex(
    /^(\[[\da-fA-F:.]+\]|[\da-fA-F:]*:[\da-fA-F:.]+|[\w.-]+)$/,
    'must be a host name or IP address',
  )
  .transform((host) => host.toLowerCase().replace(/^\[(.*)\]$/, '$1'));

/** A web page's origin (`https://app.example.com`), as a browser sends it in `Origin`. */
const pageOrigin = z
  .url()
  .transform((url) => new URL(url).origin)
  .refine(
    (origin) => origin !== 'null',
    'must be an http(s) origin such as https://app.example.com',
  );

/** One setting: the environment variable it is read from, and how (with its default). */
interface Setting<T extends z.ZodType = z.ZodType> {
  env: string;
  schema: T;
}
const setting = <T extends z.ZodType>(env: string, schema: T): Setting<T> => ({ env, schema });

interface SettingTree {
  [key: string]: Setting | SettingTree;
}
type Values<S> = { [K in keyof S]: S[K] extends Setting<infer T> ? z.output<T> : Values<S[K]> };

const isSetting = (node: Setting | SettingTree): node is Setting =>
  typeof node.env === 'string' && 'schema' in node;

/** The most files one decompress work order may name: its two commits stay far below 500 writes. */
export const MAX_FILES_PER_MESSAGE = 100;

const MODES = ['local', 'cloud'] as const;
const LOG_LEVELS = ['DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR'] as const;

/**
 * Every setting: the name the code reads, its environment variable, type and default, each
 * said once. The README's configuration table lists the same variables; nothing else reads
 * process.env.
 */
const SETTINGS = {
  /** `local`: the embedded runtime's stand-ins; `cloud`: Google Cloud (set by the deployment). */
  mode: setting('CHIMERA_MODE', z.enum(MODES).default('local')),
  projectId: setting('GOOGLE_CLOUD_PROJECT', z.string().min(1).default('chimera-local')),
  region: setting('CHIMERA_REGION', z.string().min(1).default('europe-west2')),
  port: setting('PORT', integer(0, 65535).default(8080)),
  /** The address the local runtime listens on; only a loopback address keeps it off the network. */
  host: setting('HOST', hostName.default('127.0.0.1')),
  /** Host names the local gateway answers to besides the loopback ones (the Host allowlist). */
  allowedHosts: setting('ALLOWED_HOSTS', csvList(hostName).default([])),
  /** Browser page origins allowed to call the APIs, comma-separated (the predecessors' CORS). */
  frontendUrls: setting('FRONTEND_URL', csvList(pageOrigin).default([])),
  /**
   * The web console's API address in the cloud, `https://{function}-<number>.<region>.run.app`:
   * it forwards each API route to the function serving it. Unset locally (the gateway routes).
   */
  webApiUrlTemplate: setting(
    'WEB_API_URL_TEMPLATE',
    z.url().includes('{function}', { message: 'must contain {function}' }).optional(),
  ),
  logLevel: setting('LOG_LEVEL', z.enum(LOG_LEVELS).default('INFO')),
  /** Root of local state: buckets live in `<dataDir>/buckets/<bucket>/`. */
  dataDir: setting('CHIMERA_DATA_DIR', z.string().min(1).default('.data')),
  /** Where functions reach the embedded runtime's Pub/Sub and Workflows endpoints locally. */
  localUrl: setting('CHIMERA_LOCAL_URL', z.url().optional()),
  firestoreEmulatorHost: setting('FIRESTORE_EMULATOR_HOST', optionalHost),
  // `127.0.0.1:4443` as the Google tools take it; a scheme given is kept.
  storageEmulatorHost: setting(
    'STORAGE_EMULATOR_HOST',
    z
      .string()
      .transform((value) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`))
      .pipe(z.url())
      .optional(),
  ),
  /** `npm start` fills a sample bucket and runs a job on it the first time it runs. */
  sampleJob: setting('CHIMERA_SAMPLE_JOB', flag.default(true)),
  /** Threads decoding bzip2 blocks in one function instance. */
  bz2Workers: setting('BZ2_WORKERS', integer(1, 64).default(os.availableParallelism())),
  /** Deliveries of one file before it is marked failed; below the dead-letter threshold. */
  decompressMaxAttempts: setting('DECOMPRESS_MAX_ATTEMPTS', integer(1, 100).default(4)),
  /** Files one work order (one Pub/Sub message) names at most; 1 publishes a message per file. */
  decompressFilesPerMessage: setting(
    'DECOMPRESS_FILES_PER_MESSAGE',
    integer(1, MAX_FILES_PER_MESSAGE).default(25),
  ),
  /** The fan-out topic carrying the work orders (a few files per message). */
  decompressTopic: setting(
    'DECOMPRESS_TOPIC',
    z
      .string()
      .regex(/^[A-Za-z][\w.~%+-]{2,254}$/, 'must be a Pub/Sub topic id')
      .default('chimera-decompress'),
  ),
  /**
   * Whether the APIs may create buckets (`POST /api/gcp/buckets/create`, `createNewBucket`).
   * The cloud deployment turns it off: its functions are not granted storage.buckets.create.
   */
  bucketCreation: setting('CHIMERA_BUCKET_CREATION', flag.default(true)),
  jobs: {
    maxFiles: setting('MAX_FILES_PER_JOB', integer(1, 10_000_000).default(100_000)),
    /** Files per plan page, the unit the workflow publishes at once. */
    pageSize: setting('PLAN_PAGE_SIZE', integer(1, 1000).default(250)),
    /** How often the workflow checks a job's progress. */
    pollSeconds: setting('JOB_POLL_SECONDS', integer(1, 300).default(5)),
    workflow: setting(
      'JOB_WORKFLOW',
      z
        .string()
        .regex(/^[A-Za-z][\w-]{0,63}$/, 'must be a workflow id')
        .default('decompress-job'),
    ),
    /** Where the workflow reaches the pipeline API (derived from the mode when unset). */
    apiUrl: setting('PIPELINE_API_URL', z.url().optional()),
  },
  /** Where direct_to_bigquery jobs load when the request names no dataset or location. */
  warehouse: {
    dataset: setting(
      'WAREHOUSE_DATASET',
      z
        .string()
        .regex(/^\w{1,1024}$/, 'must be a BigQuery dataset name')
        .default('chimera'),
    ),
    location: setting(
      'WAREHOUSE_LOCATION',
      z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9-]{1,62}$/, 'must be a BigQuery location')
        .default('EU'),
    ),
    /** The datasets jobs may load into; none listed: any (the cloud stack lists its own). */
    datasets: setting(
      'WAREHOUSE_DATASETS',
      csvList(z.string().regex(/^\w{1,1024}$/, 'must be BigQuery dataset names')).default([]),
    ),
  },
  bus: {
    maxAttempts: setting('BUS_MAX_ATTEMPTS', integer(1, 100).default(5)),
    // Per subscription or trigger. Deliveries mostly wait (journal syncs, decoder threads, disk),
    // so many overlap per core.
    concurrency: setting(
      'BUS_CONCURRENCY',
      integer(1, 256).default(Math.max(16, 4 * os.availableParallelism())),
    ),
    ackDeadlineMs: setting(
      'BUS_ACK_DEADLINE_SECONDS',
      integer(1, 3600)
        .default(600)
        .transform((seconds) => seconds * 1000),
    ),
    minBackoffMs: setting('BUS_MIN_BACKOFF_MS', integer(0, 600_000).default(1000)),
    maxBackoffMs: setting('BUS_MAX_BACKOFF_MS', integer(0, 3_600_000).default(60_000)),
    /** Deliver every local event twice, to see that handlers are idempotent. */
    duplicate: setting('BUS_DUPLICATE_DELIVERIES', flag.default(false)),
  },
  /** The live recorder's starting settings; the stored overlay may change them at run time. */
  recorder: {
    appKey: setting('BETFAIR_APP_KEY', z.string().optional()),
    /** The Betfair session token. */
    ssoid: setting('BETFAIR_SSOID', z.string().optional()),
    /** The JSON-RPC betting endpoint. */
    apiUrl: setting(
      'BETFAIR_API_URL',
      z.url().default('https://api.betfair.com/exchange/betting/json-rpc/v1'),
    ),
    /** The identity API base; `/keepAlive` is appended. */
    identityUrl: setting(
      'BETFAIR_IDENTITY_URL',
      z.url().default('https://identitysso.betfair.com/api'),
    ),
    bucket: setting(
      'RECORDER_BUCKET',
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, 'must be a bucket name')
        .default('chimera-recorder'),
    ),
    basePath: setting(
      'RECORDER_BASE_PATH',
      z
        .string()
        .regex(/^[\w.-]+(\/[\w.-]+)*$/, 'must be a path without leading or trailing "/"')
        .default('betfair-live'),
    ),
    countries: setting(
      'RECORDER_COUNTRIES',
      csvList(z.string().regex(/^[A-Z]{2}$/, 'must be ISO country codes')).default(['GB', 'IE']),
    ),
    /** Market type codes; empty records every type. */
    marketTypes: setting(
      'RECORDER_MARKET_TYPES',
      csvList(z.string().regex(/^[A-Z_]+$/, 'must be market type codes')).default([]),
    ),
    priceProjection: setting(
      'RECORDER_PRICE_PROJECTION',
      csvList(z.enum(PRICE_DATA)).default([
        'EX_BEST_OFFERS',
        'EX_ALL_OFFERS',
        'EX_TRADED',
        'SP_AVAILABLE',
        'SP_TRADED',
      ]),
    ),
    pollIntervalSeconds: setting('RECORDER_POLL_INTERVAL_SECONDS', integer(60, 3600).default(60)),
    /** Start recording on the first poll when no recorder state exists yet. */
    autostart: setting('RECORDER_AUTOSTART', flag.default(false)),
    /** Minutes either side of a market's start in which it is polled faster; 0 (default) is off. */
    fastCadenceMinutes: setting('RECORDER_FAST_CADENCE_MINUTES', integer(0, 60).default(0)),
    /** Polls a minute of a market near its start, the scheduled one included. */
    fastCadencePolls: setting('RECORDER_FAST_CADENCE_POLLS', integer(2, 12).default(4)),
  },
} satisfies SettingTree;

type Settings = Values<typeof SETTINGS>;

/** The validated settings; the addresses left unset are derived from the others. */
export type Config = Omit<Settings, 'localUrl' | 'jobs'> & {
  localUrl: string;
  jobs: Omit<Settings['jobs'], 'apiUrl'> & { apiUrl: string };
};

/** Every setting of a tree, depth first. */
function settingsIn(tree: SettingTree): Setting[] {
  return Object.values(tree).flatMap((node) => (isSetting(node) ? [node] : settingsIn(node)));
}

/** The tree of values, from the parsed environment keyed by variable name. */
function valuesOf(tree: SettingTree, parsed: Record<string, unknown>): unknown {
  return Object.fromEntries(
    Object.entries(tree).map(([key, node]) => [
      key,
      isSetting(node) ? parsed[node.env] : valuesOf(node, parsed),
    ]),
  );
}

const environmentSchema = z.object(
  Object.fromEntries(settingsIn(SETTINGS).map(({ env, schema }) => [env, schema])),
);

/** Google Cloud's serverless runtimes set this variable; the embedded runtime never does. */
const CLOUD_RUNTIME_MARKER = 'K_SERVICE';

/**
 * Validates `env` once at start-up; a wrong value throws CONFIG.INVALID naming the variable.
 * On Google Cloud the mode must be given: a deployment that forgot it would otherwise run
 * with the local stand-ins.
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const given = withoutEmpty(env);
  const modeVariable = SETTINGS.mode.env;
  if (given[CLOUD_RUNTIME_MARKER] && !given[modeVariable]) {
    throw invalidConfig([
      `${modeVariable}: not set, but this process runs on Google Cloud (${CLOUD_RUNTIME_MARKER} ` +
        `is set); the deployment must set ${modeVariable}=cloud`,
    ]);
  }
  const parsed = environmentSchema.safeParse(given);
  if (!parsed.success) {
    throw invalidConfig(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const settings = valuesOf(SETTINGS, parsed.data) as Settings;
  const localUrl = settings.localUrl ?? `http://127.0.0.1:${settings.port}`;
  const cloudApiUrl = `https://${settings.region}-${settings.projectId}.cloudfunctions.net/pipeline-api`;
  return {
    ...settings,
    localUrl,
    jobs: {
      ...settings.jobs,
      apiUrl: settings.jobs.apiUrl ?? (settings.mode === 'cloud' ? cloudApiUrl : localUrl),
    },
  };
}

function invalidConfig(problems: string[]): AppError {
  return new AppError('CONFIG.INVALID', 'invalid', `Invalid configuration: ${problems.join('; ')}`);
}

/** An empty variable (`PORT=`) means "use the default", as shells and .env files intend. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]),
  );
}

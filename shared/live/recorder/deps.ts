import { BetfairClient, type BetfairClientOptions } from '../../betfair/client.js';
import type { Config } from '../../platform/config.js';
import type { Logger } from '../../platform/logging.js';
import type { Platform } from '../../platform/platform.js';
import type { ObjectStore } from '../../platform/ports/object-store.js';
import type { SecretStore } from '../../platform/ports/secret-store.js';
import {
  type PollLease,
  type RecorderStateStore,
  readConfigOverlay,
  writeConfigOverlay,
  firestoreLease,
  firestoreStateStore,
} from './firestore/documents.js';
import {
  resolveSettings,
  SECRET_NAMES,
  type ConfigOverlay,
  type RecorderSettings,
} from './settings.js';

/** Where the non-secret overlay of POST /api/config is kept. */
export interface ConfigOverlayStore {
  read(): Promise<ConfigOverlay>;
  write(changes: ConfigOverlay): Promise<void>;
}

/** Everything the recorder's use cases talk to. */
export interface RecorderDeps {
  config: Pick<Config, 'recorder' | 'projectId'>;
  logger: Logger;
  objectStore: ObjectStore;
  state: RecorderStateStore;
  lease: PollLease;
  overlay: ConfigOverlayStore;
  secrets: SecretStore;
  now: () => Date;
  /** Extra client settings (timeouts, retries, a fetch) for tests and benches. */
  clientOptions?: Partial<BetfairClientOptions>;
  /** How long a poll may fetch and hold its lease (default POLL_TIMING); shorter in tests. */
  pollTiming?: PollTiming;
  /** Waits between the polls of the faster cadence (default: a timer); tests move a clock. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A poll's time limits. Every Betfair request of a poll ends by `deadlineMs` after it started
 * (timeouts cut, no retry that cannot finish), leaving the rest of the lease to write what was
 * fetched; the lease ends before the scheduler's next call, so polls never run side by side.
 */
export interface PollTiming {
  deadlineMs: number;
  leaseTtlMs: number;
}

/** Cloud Scheduler's finest schedule, and so the time between two scheduled polls. */
export const SCHEDULE_INTERVAL_MS = 60_000;

/** 40 s to fetch, 15 s more to write within a 55 s lease, 5 s before the next minute. */
export const POLL_TIMING: PollTiming = { deadlineMs: 40_000, leaseTtlMs: 55_000 };

/** The settings in force: environment, then the stored overlay, then stored secrets. */
export async function loadSettings(deps: RecorderDeps): Promise<RecorderSettings> {
  const [overlay, appKey, ssoid] = await Promise.all([
    deps.overlay.read(),
    deps.secrets.get(SECRET_NAMES.appKey),
    deps.secrets.get(SECRET_NAMES.ssoid),
  ]);
  return resolveSettings(deps.config, overlay, { appKey, ssoid });
}

/**
 * A Betfair client for these credentials and the configured endpoints; `options` adds a
 * deadline and a failure observer for one poll.
 */
export function betfairClient(
  deps: RecorderDeps,
  settings: RecorderSettings,
  credentials: { appKey: string; ssoid: string },
  options: Pick<BetfairClientOptions, 'deadline' | 'onFailedRequest'> = {},
): BetfairClient {
  return new BetfairClient({
    appKey: credentials.appKey,
    sessionToken: credentials.ssoid,
    endpoint: settings.apiUrl,
    identityEndpoint: settings.identityUrl,
    logger: deps.logger,
    ...deps.clientOptions,
    ...options,
  });
}

/**
 * Betfair refused `refused`: when the environment configures another session (the local
 * simulator issues a fresh one at every start, while an SSOID saved earlier with POST
 * /api/config stays in the secret store) and Betfair accepts it, it replaces the stored one
 * and is returned, so a stale session is never kept over a working one.
 */
export async function replaceStaleSession(
  deps: RecorderDeps,
  settings: RecorderSettings,
  refused: { appKey: string; ssoid: string },
  options: Pick<BetfairClientOptions, 'deadline'> = {},
): Promise<{ appKey: string; ssoid: string } | undefined> {
  const configured = deps.config.recorder.ssoid;
  if (!configured || configured === refused.ssoid) return undefined;
  const candidate = { appKey: refused.appKey, ssoid: configured };
  try {
    await betfairClient(deps, settings, candidate, options).keepAlive();
  } catch {
    return undefined;
  }
  await deps.secrets.set(SECRET_NAMES.ssoid, configured);
  deps.logger.notice('the stored Betfair session was refused; the configured one replaces it');
  return candidate;
}

/** The recorder's dependencies on a platform (its secrets: Secret Manager, or a local file). */
export function recorderDeps(platform: Platform): RecorderDeps {
  const { config, firestore, secrets } = platform;
  return {
    config,
    logger: platform.logger,
    objectStore: platform.objectStore,
    state: firestoreStateStore(firestore),
    lease: firestoreLease(firestore),
    overlay: {
      read: () => readConfigOverlay(firestore),
      write: (changes) => writeConfigOverlay(firestore, changes),
    },
    secrets,
    now: () => new Date(),
  };
}

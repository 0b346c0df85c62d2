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
}

/** The settings in force: environment, then the stored overlay, then stored secrets. */
export async function loadSettings(deps: RecorderDeps): Promise<RecorderSettings> {
  const [overlay, appKey, ssoid] = await Promise.all([
    deps.overlay.read(),
    deps.secrets.get(SECRET_NAMES.appKey),
    deps.secrets.get(SECRET_NAMES.ssoid),
  ]);
  return resolveSettings(deps.config, overlay, { appKey, ssoid });
}

/** A Betfair client for these credentials and the configured endpoints. */
export function betfairClient(
  deps: RecorderDeps,
  settings: RecorderSettings,
  credentials: { appKey: string; ssoid: string },
): BetfairClient {
  return new BetfairClient({
    appKey: credentials.appKey,
    sessionToken: credentials.ssoid,
    endpoint: settings.apiUrl,
    identityEndpoint: settings.identityUrl,
    logger: deps.logger,
    ...deps.clientOptions,
  });
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

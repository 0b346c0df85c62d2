import type { Platform } from '../platform/platform.js';
import { CloudSecretStore } from './cloud-secret-store.js';
import { readConfigOverlay, writeConfigOverlay } from './firestore-config-overlay.js';
import { firestoreLease } from './firestore-lease.js';
import { firestoreStateStore } from './firestore-recorder-state.js';
import type { RecorderDeps } from './recorder-deps.js';
import { LocalSecretStore, type SecretStore } from './secret-store.js';

/** The recorder's dependencies on a platform: Secret Manager in the cloud, a file locally. */
export function recorderDeps(platform: Platform): RecorderDeps {
  const { config, firestore } = platform;
  const secrets: SecretStore =
    config.mode === 'cloud'
      ? new CloudSecretStore(config.projectId)
      : new LocalSecretStore(config.dataDir);
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

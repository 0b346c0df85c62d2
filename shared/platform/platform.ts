import { Firestore } from '@google-cloud/firestore';
import { HttpWorkflowExecutions } from '../local/adapters/executions.js';
import { LocalObjectStore } from '../local/adapters/object-store.js';
import { HttpPublisher } from '../local/adapters/publisher.js';
import { CloudWorkflowExecutions } from './cloud/executions.js';
import { CloudObjectStore } from './cloud/object-store.js';
import { CloudPublisher } from './cloud/publisher.js';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logging.js';
import type { WorkflowExecutions } from './ports/executions.js';
import type { ObjectStore } from './ports/object-store.js';
import type { Publisher } from './ports/publisher.js';

/** Everything a function talks to, behind its port; built once per instance. */
export interface Platform {
  config: Config;
  logger: Logger;
  objectStore: ObjectStore;
  firestore: Firestore;
  publisher: Publisher;
  executions: WorkflowExecutions;
}

/**
 * Picks the adapters for the configured mode: Google Cloud clients in the cloud, the
 * embedded runtime's stand-ins locally. Firestore is the real client in both places.
 */
export function createPlatform(config: Config, functionName: string): Platform {
  const logger = createLogger({ minSeverity: config.logLevel, fields: { function: functionName } });
  const firestore = createFirestore(config);
  if (config.mode === 'cloud') {
    return {
      config,
      logger,
      firestore,
      objectStore: new CloudObjectStore({
        projectId: config.projectId,
        apiEndpoint: config.storageEmulatorHost,
      }),
      publisher: new CloudPublisher(config.projectId),
      executions: new CloudWorkflowExecutions(config.projectId, config.region),
    };
  }
  return {
    config,
    logger,
    firestore,
    objectStore: new LocalObjectStore({ dataDir: config.dataDir }),
    publisher: new HttpPublisher(config.localUrl, config.projectId),
    executions: new HttpWorkflowExecutions(config.localUrl, config.projectId, config.region),
  };
}

/**
 * The one Firestore client of a process: the real client in both places, pointed at the
 * embedded emulator when `firestoreEmulatorHost` is set.
 */
export function createFirestore(
  config: Pick<Config, 'projectId' | 'firestoreEmulatorHost'>,
): Firestore {
  if (!config.firestoreEmulatorHost)
    return new Firestore({ projectId: config.projectId, ignoreUndefinedProperties: true });
  return new Firestore({
    projectId: config.projectId,
    host: config.firestoreEmulatorHost,
    ssl: false,
    // The emulator needs no credentials; naming placeholder ones stops the client from probing
    // for Google's metadata server on every start.
    credentials: { client_email: 'emulator@chimera.local', private_key: 'unused' },
    ignoreUndefinedProperties: true,
  });
}

import type { Firestore } from '@google-cloud/firestore';
import type { Config } from '../config/config.js';
import { createFirestore } from '../documents/firestore-client.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { CloudPublisher } from '../messaging/cloud-publisher.js';
import { HttpPublisher } from '../messaging/http-publisher.js';
import type { Publisher } from '../messaging/publisher.js';
import { CloudObjectStore } from '../storage/cloud-object-store.js';
import { LocalObjectStore } from '../storage/local-object-store.js';
import type { ObjectStore } from '../storage/object-store.js';
import { CloudWorkflowExecutions } from '../workflows/cloud-executions.js';
import type { WorkflowExecutions } from '../workflows/executions.js';
import { HttpWorkflowExecutions } from '../workflows/http-executions.js';

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

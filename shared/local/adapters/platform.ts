import { installLocalAdapters, type AdapterFactory } from '../../platform/platform.js';
import { HttpWorkflowExecutions } from './executions.js';
import { LocalObjectStore } from './object-store.js';
import { HttpPublisher } from './publisher.js';
import { LocalSecretStore } from './secret-store.js';

/**
 * The embedded runtime's stand-ins: buckets as folders, Pub/Sub and Workflows through the
 * runtime's REST endpoints, secrets in a 0600 file beside the buckets.
 */
export const localAdapters: AdapterFactory = (config) => ({
  objectStore: new LocalObjectStore({ dataDir: config.dataDir }),
  publisher: new HttpPublisher(config.localUrl, config.projectId),
  executions: new HttpWorkflowExecutions(config.localUrl, config.projectId, config.region),
  secrets: new LocalSecretStore(config.dataDir),
});

/** Lets functions loaded in this process run in local mode. */
export function useLocalAdapters(): void {
  installLocalAdapters(localAdapters);
}

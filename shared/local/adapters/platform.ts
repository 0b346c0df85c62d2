import { installLocalAdapters, type AdapterFactory } from '../../platform/platform.js';
import { runTokenHeaders } from '../run-token.js';
import { HttpWorkflowExecutions } from './executions.js';
import { LocalObjectStore } from './object-store.js';
import { HttpPublisher } from './publisher.js';
import { LocalSecretStore } from './secret-store.js';
import { DuckDbWarehouse } from './warehouse.js';

/**
 * The embedded runtime's stand-ins: buckets as folders, Pub/Sub and Workflows through the
 * runtime's REST endpoints (with the run's token), secrets in a 0600 file beside the buckets, BigQuery as a DuckDB file.
 */
export function localAdapters(runToken?: string): AdapterFactory {
  const headers = runTokenHeaders(runToken);
  return (config) => ({
    objectStore: new LocalObjectStore({ dataDir: config.dataDir }),
    publisher: new HttpPublisher(config.localUrl, config.projectId, headers),
    executions: new HttpWorkflowExecutions(
      config.localUrl,
      config.projectId,
      config.region,
      headers,
    ),
    secrets: new LocalSecretStore(config.dataDir),
    warehouse: new DuckDbWarehouse(config.dataDir),
  });
}

/** Lets functions loaded in this process run in local mode, reaching the runtime with `runToken`. */
export function useLocalAdapters(runToken?: string): void {
  installLocalAdapters(localAdapters(runToken));
}

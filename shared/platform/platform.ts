import { Firestore } from '@google-cloud/firestore';
import { http } from '@google-cloud/functions-framework';
import type { Express } from 'express';
import { withBucketCreation } from './bucket-creation.js';
import { BigQueryWarehouse } from './cloud/bigquery-warehouse.js';
import { CloudWorkflowExecutions } from './cloud/executions.js';
import { CloudObjectStore } from './cloud/object-store.js';
import { CloudPublisher } from './cloud/publisher.js';
import { CloudSecretStore } from './cloud/secret-store.js';
import type { Config } from './config.js';
import { AppError } from './errors.js';
import { screenEveryRequest } from './http.js';
import { createLogger, type Logger } from './logging.js';
import type { WorkflowExecutions } from './ports/executions.js';
import type { ObjectStore } from './ports/object-store.js';
import type { Publisher } from './ports/publisher.js';
import type { SecretStore } from './ports/secret-store.js';
import type { Warehouse } from './ports/warehouse.js';

/** Everything a function talks to, behind its port; built once per instance. */
export interface Platform extends Adapters {
  config: Config;
  logger: Logger;
  firestore: Firestore;
}

/** The adapters that differ between Google Cloud and the embedded runtime. */
export interface Adapters {
  objectStore: ObjectStore;
  publisher: Publisher;
  executions: WorkflowExecutions;
  secrets: SecretStore;
  warehouse: Warehouse;
}

/** Builds the adapters of one mode from the configuration. */
export type AdapterFactory = (config: Config) => Adapters;

const cloudAdapters: AdapterFactory = (config) => ({
  objectStore: new CloudObjectStore({
    projectId: config.projectId,
    apiEndpoint: config.storageEmulatorHost,
  }),
  publisher: new CloudPublisher(config.projectId),
  executions: new CloudWorkflowExecutions(config.projectId, config.region),
  secrets: lazySecrets(() => new CloudSecretStore(config.projectId)),
  warehouse: lazyWarehouse(() => new BigQueryWarehouse(config.projectId)),
});

/**
 * The embedded runtime's stand-ins, installed by it (shared/local) before it loads any
 * function: deployed code never contains them, so a function can only be local inside it.
 */
let localAdapters: AdapterFactory | undefined;

export function installLocalAdapters(factory: AdapterFactory): void {
  localAdapters = factory;
}

/**
 * Picks the adapters for the configured mode: Google Cloud clients in the cloud, the
 * embedded runtime's stand-ins locally. Firestore is the real client in both places.
 */
export function createPlatform(config: Config, functionName: string): Platform {
  const logger = createLogger({ minSeverity: config.logLevel, fields: { function: functionName } });
  const adapters = config.mode === 'cloud' ? cloudAdapters(config) : local()(config);
  const objectStore = withBucketCreation(adapters.objectStore, config.bucketCreation);
  return { config, logger, firestore: createFirestore(config), ...adapters, objectStore };
}

/**
 * The platform of a function, as its instance loads: createPlatform, and against the embedded
 * emulator the Firestore client's first call started at once. The client builds its gRPC stub
 * (loading its protos) and channel on first use, a few hundred milliseconds that would
 * otherwise delay the function's first event of a job; the local function hosts start long
 * before it. A failure is left to the first request, which meets it again and reports it. In
 * the cloud, loading makes no call: without credentials the client's stub would fail the
 * whole process rather than the read.
 */
export function functionPlatform(config: Config, functionName: string): Platform {
  const platform = createPlatform(config, functionName);
  if (config.firestoreEmulatorHost) {
    void platform.firestore
      .doc(WARM_UP_DOCUMENT)
      .get()
      .catch(() => undefined);
  }
  return platform;
}

/** Read as a function instance starts; never written. */
const WARM_UP_DOCUMENT = '_chimera/warm-up';

function local(): AdapterFactory {
  if (localAdapters) return localAdapters;
  throw new AppError(
    'CONFIG.INVALID',
    'invalid',
    'CHIMERA_MODE is local, but the embedded runtime is not running in this process: ' +
      'start functions locally with `npm start`, or set CHIMERA_MODE=cloud',
  );
}

/** Secret Manager's client is built on first use: most functions never read a secret. */
function lazySecrets(create: () => SecretStore): SecretStore {
  let store: SecretStore | undefined;
  return {
    get: (name) => (store ??= create()).get(name),
    set: (name, value) => (store ??= create()).set(name, value),
  };
}

/** BigQuery's client is built on first use: only the job workflow's load step uses it. */
function lazyWarehouse(create: () => Warehouse): Warehouse {
  let warehouse: Warehouse | undefined;
  return {
    ensureDataset: (dataset, location) => (warehouse ??= create()).ensureDataset(dataset, location),
    load: (load) => (warehouse ??= create()).load(load),
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

/**
 * Registers an HTTP function with functions-framework behind the one HTTP boundary. On Google
 * Cloud an instance serves one function in its own process, so every request the process
 * receives is screened before the framework's body parser reads anything (screenEveryRequest);
 * locally the gateway screens what it routes to a function, in the one process serving all.
 */
export function serveHttp(name: string, config: Pick<Config, 'mode'>, app: Express): void {
  if (config.mode === 'cloud') screenEveryRequest();
  http(name, app);
}

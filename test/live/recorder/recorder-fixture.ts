import { http } from '@google-cloud/functions-framework';
import { createRecorderApi, createRecorderPoll } from '../../../shared/live/recorder/api.js';
import type { RecorderDeps } from '../../../shared/live/recorder/deps.js';
import {
  readConfigOverlay,
  writeConfigOverlay,
  firestoreLease,
  firestoreStateStore,
} from '../../../shared/live/recorder/firestore/documents.js';
import type { LocalObjectStore } from '../../../shared/local/adapters/object-store.js';
import {
  startExchangeSimulator,
  type ExchangeSimulator,
  type ExchangeSimulatorOptions,
} from '../../../shared/local/simulator/server.js';
import { loadConfig } from '../../../shared/platform/config.js';
import { createLogger } from '../../../shared/platform/logging.js';
import { LocalSecretStore } from '../../../shared/local/adapters/secret-store.js';
import { serveFunction, type ServedFunction } from '../../local/delivery/serve-function.js';
import { startEmulatorFixture, type EmulatorFixture } from '../../support/emulator.js';
import { tempStore } from '../../support/temp-store.js';

/** A recorder wired to a simulator, the embedded emulator and a temp store, served over HTTP. */
export interface RecorderFixture {
  sim: ExchangeSimulator;
  firestore: EmulatorFixture;
  store: LocalObjectStore;
  dataDir: string;
  deps: RecorderDeps;
  /** Every log line written, to check that no secret reaches a log. */
  logLines: string[];
  /** Every response body read through `api` and `poll`. */
  bodies: string[];
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  poll(): Promise<{ outcome: string; message: string }>;
  close(): Promise<void>;
}

let registered = 0;

/**
 * Starts everything; `env` adds settings (RECORDER_PRICE_PROJECTION…), `overrides` replaces
 * dependencies (poll timing, client options).
 */
export async function startRecorderFixture(
  simOptions: ExchangeSimulatorOptions,
  env: Record<string, string> = {},
  overrides: Partial<RecorderDeps> = {},
): Promise<RecorderFixture> {
  const sim = await startExchangeSimulator(simOptions);
  const firestore = await startEmulatorFixture();
  const { store, dataDir } = await tempStore();
  const config = loadConfig({
    CHIMERA_DATA_DIR: dataDir,
    BETFAIR_API_URL: `${sim.url}/exchange/betting/json-rpc/v1`,
    BETFAIR_IDENTITY_URL: `${sim.identityUrl}/api`,
    BETFAIR_APP_KEY: sim.appKey,
    BETFAIR_SSOID: sim.sessionToken,
    ...env,
  });
  const logLines: string[] = [];
  const deps: RecorderDeps = {
    config,
    logger: createLogger({ minSeverity: 'DEBUG', write: (line) => logLines.push(line) }),
    objectStore: store,
    state: firestoreStateStore(firestore.db),
    lease: firestoreLease(firestore.db),
    overlay: {
      read: () => readConfigOverlay(firestore.db),
      write: (changes) => writeConfigOverlay(firestore.db, changes),
    },
    secrets: new LocalSecretStore(dataDir),
    now: () => new Date(sim.state.clock.now()),
    clientOptions: { retries: 2, retryMinTimeoutMs: 5, retryMaxTimeoutMs: 20, timeoutMs: 10_000 },
    ...overrides,
  };
  registered += 1;
  const apiName = `recorder-api-${registered}`;
  const pollName = `recorder-poll-${registered}`;
  http(apiName, createRecorderApi(deps));
  http(pollName, createRecorderPoll(deps));
  const served: ServedFunction[] = [await serveFunction(apiName), await serveFunction(pollName)];
  const [apiServer, pollServer] = served as [ServedFunction, ServedFunction];
  const bodies: string[] = [];
  const call = async <T>(url: string, method: string, body?: unknown) => {
    const response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    bodies.push(text);
    return { status: response.status, body: parseLenient(text) as T };
  };
  return {
    sim,
    firestore,
    store,
    dataDir,
    deps,
    logLines,
    bodies,
    api: (method, path, body) => call(`${apiServer.url}${path.slice(1)}`, method, body),
    poll: async () => {
      const { status, body } = await call<{ outcome: string; message: string }>(
        pollServer.url,
        'POST',
      );
      if (status !== 200) throw new Error(`poll answered ${status}: ${JSON.stringify(body)}`);
      return body;
    },
    close: async () => {
      await Promise.all(served.map((server) => server.close()));
      await firestore.close();
      await sim.close();
    },
  };
}

/** JSON answers parsed; functions-framework answers malformed JSON with its own HTML page. */
function parseLenient(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { detail: text };
  }
}

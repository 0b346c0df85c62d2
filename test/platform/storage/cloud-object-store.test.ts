import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import { CloudObjectStore } from '../../../shared/platform/cloud/object-store.js';
import { FakeGcsServer } from '../../support/fake-gcs-server.js';
import { objectStoreContract } from './object-store-contract.js';

// Tests read the environment directly: they are the entry point that decides what to run.
const emulatorHost = process.env.STORAGE_EMULATOR_HOST;

/** The contract against a JSON-API server at `endpoint()`, each test in a fresh bucket. */
function contractAgainst(label: string, endpoint: () => string): void {
  let store: CloudObjectStore;
  const created: string[] = [];

  beforeAll(() => {
    store = new CloudObjectStore({ projectId: 'chimera-test', apiEndpoint: endpoint() });
  });

  afterAll(async () => {
    for (const bucket of created) {
      for await (const object of store.listAll(bucket)) await store.delete(bucket, object.name);
    }
  });

  objectStoreContract(label, async () => {
    const bucket = `chimera-test-${randomBytes(6).toString('hex')}`;
    await store.createBucket(bucket);
    created.push(bucket);
    return { store, bucket };
  });
}

describe('cloud object store against the in-test JSON-API fake', () => {
  const server = new FakeGcsServer();
  let origin = '';
  beforeAll(async () => {
    origin = await server.start();
  });
  afterAll(() => server.close());

  contractAgainst('cloud (fake)', () => origin);
});

describe.skipIf(!emulatorHost)(
  'cloud object store against a GCS JSON-API emulator (set STORAGE_EMULATOR_HOST to run)',
  () => {
    contractAgainst('cloud (emulator)', () => emulatorHost!);
  },
);

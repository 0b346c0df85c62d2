import { randomBytes } from 'node:crypto';
import { afterAll, describe } from 'vitest';
import { CloudObjectStore } from '../../../shared/platform/cloud/object-store.js';
import { objectStoreContract } from './object-store-contract.js';

// Tests read the environment directly: they are the entry point that decides what to run.
const emulatorHost = process.env.STORAGE_EMULATOR_HOST;
const created: string[] = [];

describe.skipIf(!emulatorHost)(
  'cloud object store against a GCS JSON-API emulator (set STORAGE_EMULATOR_HOST to run)',
  () => {
    const store = new CloudObjectStore({ projectId: 'chimera-test', apiEndpoint: emulatorHost });

    afterAll(async () => {
      for (const bucket of created) {
        for await (const object of store.listAll(bucket)) await store.delete(bucket, object.name);
      }
    });

    objectStoreContract('cloud', async () => {
      const bucket = `chimera-test-${randomBytes(6).toString('hex')}`;
      await store.createBucket(bucket);
      created.push(bucket);
      return { store, bucket };
    });
  },
);

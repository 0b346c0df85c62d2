import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { LocalObjectStore } from '../../../shared/local/adapters/object-store.js';
import { objectStoreContract } from '../../platform/storage/object-store-contract.js';

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

objectStoreContract('local', async () => {
  const root = await mkdtemp(join(tmpdir(), 'chimera-store-'));
  roots.push(root);
  const store = new LocalObjectStore({ dataDir: root });
  await store.createBucket('historic-data');
  return { store, bucket: 'historic-data' };
});

import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { describe, expect, it } from 'vitest';
import { CloudSecretStore } from '../../shared/platform/cloud/secret-store.js';

type State = 'ENABLED' | 'DISABLED';

/** Secret Manager's versions API in memory, with the gRPC codes the store relies on. */
function fakeSecretManager(existing: Record<string, State[]> = {}) {
  const secrets = new Map(Object.entries(existing).map(([id, states]) => [id, [...states]]));
  const calls: string[] = [];
  const secretOf = (path: string) => path.split('/')[3] ?? '';
  const grpc = (code: number) => Object.assign(new Error(`code ${code}`), { code });
  const client = {
    addSecretVersion: ({ parent }: { parent: string }) => {
      calls.push('add');
      const versions = secrets.get(secretOf(parent));
      if (!versions) return Promise.reject(grpc(5));
      versions.push('ENABLED');
      return Promise.resolve([{ name: `${parent}/versions/${versions.length}` }]);
    },
    createSecret: ({ secretId }: { secretId: string }) => {
      calls.push('create');
      if (secrets.has(secretId)) return Promise.reject(grpc(6));
      secrets.set(secretId, []);
      return Promise.resolve([{}]);
    },
    listSecretVersions: ({ parent, filter }: { parent: string; filter: string }) => {
      expect(filter).toBe('state:ENABLED');
      const versions = secrets.get(secretOf(parent)) ?? [];
      return Promise.resolve([
        versions
          .map((state, i) => ({ name: `${parent}/versions/${i + 1}`, state }))
          .filter((v) => v.state === 'ENABLED'),
      ]);
    },
    disableSecretVersion: ({ name }: { name: string }) => {
      calls.push(`disable ${name.split('/').at(-1)}`);
      const versions = secrets.get(secretOf(name)) ?? [];
      versions[Number(name.split('/').at(-1)) - 1] = 'DISABLED';
      return Promise.resolve([{}]);
    },
  };
  return { client: client as unknown as SecretManagerServiceClient, secrets, calls };
}

describe('CloudSecretStore.set', () => {
  it('adds a version and disables the ones it supersedes, leaving only the new one readable', async () => {
    const fake = fakeSecretManager({
      'chimera-recorder-ssoid': ['ENABLED', 'DISABLED', 'ENABLED'],
    });
    await new CloudSecretStore('p', undefined, fake.client).set('ssoid', 'new-session');
    expect(fake.secrets.get('chimera-recorder-ssoid')).toEqual([
      'DISABLED',
      'DISABLED',
      'DISABLED',
      'ENABLED',
    ]);
    // The deployment made the secret: no create call, which the recorder may not need.
    expect(fake.calls).toEqual(['add', 'disable 1', 'disable 3']);
  });

  it('creates a missing secret, then adds its first version', async () => {
    const fake = fakeSecretManager();
    await new CloudSecretStore('p', undefined, fake.client).set('app_key', 'k');
    expect(fake.calls).toEqual(['add', 'create', 'add']);
    expect(fake.secrets.get('chimera-recorder-app_key')).toEqual(['ENABLED']);
  });

  it('says the value is stored when only disabling the older versions failed', async () => {
    const fake = fakeSecretManager({ 'chimera-recorder-ssoid': ['ENABLED'] });
    const client = Object.assign(Object.create(fake.client as object) as object, {
      disableSecretVersion: () => Promise.reject(new Error('PERMISSION_DENIED')),
    }) as unknown as SecretManagerServiceClient;
    await expect(
      new CloudSecretStore('p', undefined, client).set('ssoid', 'x'),
    ).rejects.toMatchObject({
      code: 'SECRETS.UNAVAILABLE',
      message: expect.stringContaining('stored the new ssoid') as unknown,
    });
  });
});

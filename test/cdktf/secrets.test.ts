import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { beforeAll, describe, expect, it } from 'vitest';
import { SECRET_IDS } from '../../cdktf/app.js';
import { SECRET_NAMES } from '../../shared/live/recorder/settings.js';
import { CloudSecretStore } from '../../shared/platform/cloud/secret-store.js';
import { resources, synthStack, type Synthesised } from './stack-fixture.js';

let json: Synthesised;
beforeAll(async () => {
  json = await synthStack();
}, 60_000);

describe('Betfair secrets', () => {
  it('are the secrets the recorder’s secret store reads', async () => {
    const read: string[] = [];
    const client = {
      accessSecretVersion: (request: { name: string }) => {
        read.push(request.name.split('/')[3] ?? '');
        return Promise.resolve([{ payload: { data: 'x' } }]);
      },
    } as unknown as SecretManagerServiceClient;
    const store = new CloudSecretStore('p', undefined, client);
    for (const name of Object.values(SECRET_NAMES)) await store.get(name);
    const declared = Object.values(resources(json, 'google_secret_manager_secret'));
    expect(declared.map((s) => s.secret_id).sort()).toEqual([...read].sort());
    expect([...SECRET_IDS].sort()).toEqual([...read].sort());
  });

  it('are readable by the recorder functions only', () => {
    const members = Object.values(resources(json, 'google_secret_manager_secret_iam_member'));
    const accounts = new Set(members.map((m) => String(m.member)));
    expect(accounts.size).toBe(2);
    for (const account of accounts) expect(account).toMatch(/sa-recorder-(api|poll)_/);
  });

  it('let the recorder API disable the versions a new value supersedes', () => {
    const members = Object.values(resources(json, 'google_secret_manager_secret_iam_member'));
    const declared = Object.values(resources(json, 'google_secret_manager_secret'));
    const managing = members.filter(
      (m) =>
        String(m.member).includes('sa-recorder-api_') &&
        m.role === 'roles/secretmanager.secretVersionManager',
    );
    // Secret Version Manager: versions.add, list and disable, on each secret (not the project).
    expect(managing).toHaveLength(declared.length);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CloudObjectStore } from '../../../shared/platform/cloud/object-store.js';
import {
  createStorageClient,
  storageClientOptions,
  storageEndpoint,
} from '../../../shared/platform/cloud/storage-client.js';
import { FakeGcsServer } from '../../support/fake-gcs-server.js';
import { bytes, drain } from './streams.js';

describe('storageEndpoint', () => {
  it.each([
    ['http://127.0.0.1:4443', 'http://127.0.0.1:4443'],
    ['http://127.0.0.1:4443/', 'http://127.0.0.1:4443'],
    ['http://127.0.0.1:4443/storage/v1', 'http://127.0.0.1:4443'],
    ['http://127.0.0.1:4443/storage/v1/', 'http://127.0.0.1:4443'],
    ['127.0.0.1:4443', 'http://127.0.0.1:4443'],
    ['localhost:4443/', 'http://localhost:4443'],
    ['https://proxy.example.com/gcs/storage/v1', 'https://proxy.example.com/gcs'],
    ['https://proxy.example.com/gcs//', 'https://proxy.example.com/gcs'],
  ])('%s is the base URL %s', (address, base) => {
    expect(storageEndpoint(address)).toBe(base);
  });

  it.each(['ftp://127.0.0.1:21', 'http://'])('refuses %s', (address) => {
    expect(() => storageEndpoint(address)).toThrow(
      expect.objectContaining({ code: 'OBJECT.INVALID_ARGUMENT' }),
    );
  });
});

describe('real Cloud Storage (no endpoint)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('keeps the client library defaults', () => {
    vi.stubEnv('STORAGE_EMULATOR_HOST', undefined);
    expect(storageClientOptions('my-project')).toEqual({ projectId: 'my-project' });
    const client = createStorageClient('my-project');
    expect(client.apiEndpoint).toBe('https://storage.googleapis.com');
    expect(client.baseUrl).toBe('https://storage.googleapis.com/storage/v1');
    expect(client.customEndpoint).toBe(false);
  });
});

describe('the URLs the client requests from one base URL', () => {
  const server = new FakeGcsServer();
  let origin = '';
  beforeAll(async () => {
    origin = await server.start();
  });
  afterAll(() => server.close());
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const variants = (['', '/', '/storage/v1', '/storage/v1/'] as const).flatMap((suffix) => [
    { suffix, alsoInEnvironment: false },
    { suffix, alsoInEnvironment: true },
  ]);

  it.each(variants)(
    'base + "$suffix" (STORAGE_EMULATOR_HOST set too: $alsoInEnvironment)',
    async ({ suffix, alsoInEnvironment }) => {
      const address = `${origin}${suffix}`;
      vi.stubEnv('STORAGE_EMULATOR_HOST', alsoInEnvironment ? address : undefined);
      const bucket = `urls-${variants.findIndex((v) => v.suffix === suffix && v.alsoInEnvironment === alsoInEnvironment)}`;
      const store = new CloudObjectStore({ projectId: 'chimera-test', apiEndpoint: address });
      const client = createStorageClient('chimera-test', address);
      const first = server.requests.length;

      await store.createBucket(bucket);
      await store.write(bucket, 'simple.ndjson', bytes('{"a":1}\n'));
      await client.bucket(bucket).file('resumable.ndjson').save('{"b":2}\n', { resumable: true });
      expect((await store.stat(bucket, 'simple.ndjson')).size).toBe(8);
      const listed = await store.list(bucket, { prefix: 're' });
      expect(listed.objects.map((o) => o.name)).toEqual(['resumable.ndjson']);
      expect((await drain(await store.read(bucket, 'resumable.ndjson'))).toString()).toBe(
        '{"b":2}\n',
      );

      const seen = server.requests.slice(first).map((r) => `${r.method} ${r.url.split('?')[0]}`);
      const json = `/storage/v1/b/${bucket}/o`;
      const upload = `/upload/storage/v1/b/${bucket}/o`;
      expect(seen).toEqual([
        'POST /storage/v1/b',
        `POST ${upload}`, // simple (multipart) upload
        `POST ${upload}`, // resumable: the session
        `PUT ${upload}`, // resumable: the bytes
        `GET ${json}/simple.ndjson`,
        `GET ${json}`,
        `GET ${json}/resumable.ndjson`, // read: the generation to pin
        `GET ${json}/resumable.ndjson`, // read: the bytes
      ]);
      const queries = server.requests.slice(first).map((r) => r.url.split('?')[1] ?? '');
      expect(queries[1]).toContain('uploadType=multipart');
      expect(queries[2]).toContain('uploadType=resumable');
      expect(queries[7]).toContain('alt=media');
    },
  );
});

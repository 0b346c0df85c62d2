import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../../shared/local/adapters/object-store.js';
import { bytes, drain } from '../../platform/storage/streams.js';

const BUCKET = 'safe-bucket';

describe('local object store: names cannot leave the data folder', () => {
  let root: string;
  let outside: string;
  let store: LocalObjectStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'chimera-safety-'));
    outside = await mkdtemp(join(tmpdir(), 'chimera-outside-'));
    store = new LocalObjectStore({ dataDir: root });
    await store.createBucket(BUCKET);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  const hostile: [string, string][] = [
    ['parent segment', '../escape'],
    ['parent segment deeper', 'a/../../escape'],
    ['absolute path', '/etc/passwd'],
    ['backslash', 'a\\..\\b'],
    ['NUL', 'a\0b'],
    ['empty segment', 'a//b'],
    ['trailing slash', 'folder/'],
    ['empty name', ''],
    ['dot', '.'],
    ['dot segment', 'a/./b'],
    ['dot dot', '..'],
    ['line break', 'a\nb'],
    ['1025 bytes', 'x'.repeat(1025)],
    ['1026 bytes of two-byte characters', 'é'.repeat(513)],
    ['lone surrogate', 'a\ud800b'],
  ];

  it.each(hostile)('rejects a name with %s for every operation', async (_why, name) => {
    const invalid = { code: 'OBJECT.INVALID_NAME', kind: 'invalid' };
    await expect(store.write(BUCKET, name, bytes('x'))).rejects.toMatchObject(invalid);
    await expect(store.read(BUCKET, name)).rejects.toMatchObject(invalid);
    await expect(store.stat(BUCKET, name)).rejects.toMatchObject(invalid);
    await expect(store.delete(BUCKET, name)).rejects.toMatchObject(invalid);
    await expect(store.compose(BUCKET, ['ok'], name)).rejects.toMatchObject(invalid);
    expect(await readdir(join(root, 'buckets', BUCKET))).toEqual([]);
  });

  it('accepts a name of exactly 1024 bytes', async () => {
    const name = `${'a'.repeat(200)}/`.repeat(5) + 'b'.repeat(19);
    expect(Buffer.byteLength(name)).toBe(1024);
    await store.write(BUCKET, name, bytes('x'));
    expect((await store.stat(BUCKET, name)).size).toBe(1);
  });

  it.each([
    'ab',
    'UPPER',
    'has space',
    '-dash',
    'dash-',
    'goog-data',
    'my-google-data',
    '10.0.0.1',
    '../x',
    'a'.repeat(64),
  ])('rejects the bucket name %j', async (bucket) => {
    await expect(store.createBucket(bucket)).rejects.toMatchObject({ code: 'BUCKET.INVALID_NAME' });
    await expect(store.list(bucket)).rejects.toMatchObject({ code: 'BUCKET.INVALID_NAME' });
  });

  it('neither follows nor lists symbolic links out of the bucket', async () => {
    await writeFile(join(outside, 'secret.bz2'), 'secret');
    await symlink(outside, join(root, 'buckets', BUCKET, 'link'));
    await symlink(join(outside, 'secret.bz2'), join(root, 'buckets', BUCKET, 'file-link.bz2'));
    await store.write(BUCKET, 'real.bz2', bytes('real'));

    const page = await store.list(BUCKET, { glob: '**/*.bz2' });
    expect(page.objects.map((o) => o.name)).toEqual(['real.bz2']);
    for (const name of ['link/secret.bz2', 'file-link.bz2']) {
      await expect(store.read(BUCKET, name)).rejects.toMatchObject({ code: 'OBJECT.NOT_FOUND' });
    }
    await expect(store.write(BUCKET, 'link/new', bytes('x'))).rejects.toMatchObject({
      code: 'OBJECT.INVALID_NAME',
    });
    await store.delete(BUCKET, 'link/secret.bz2');
    expect((await readdir(outside)).sort()).toEqual(['secret.bz2']);
  });

  it('keeps an object and a folder of the same name apart with a clear error', async () => {
    await store.write(BUCKET, 'a', bytes('file'));
    await expect(store.write(BUCKET, 'a/b', bytes('x'))).rejects.toMatchObject({
      code: 'OBJECT.INVALID_ARGUMENT',
    });
    await mkdir(join(root, 'buckets', BUCKET, 'dir'));
    await expect(store.read(BUCKET, 'dir')).rejects.toMatchObject({ code: 'OBJECT.NOT_FOUND' });
    expect((await drain(await store.read(BUCKET, 'a'))).toString()).toBe('file');
  });
});

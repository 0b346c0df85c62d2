import { mkdir, mkdtemp, readdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../../shared/local/adapters/object-store.js';
import { hasCode } from '../../../shared/platform/errors.js';
import { bytes, drain, failingAfter } from '../../platform/storage/streams.js';

const BUCKET = 'files-bucket';
const MB = 1024 * 1024;

/** 1 MiB of one letter, yielded in 64 chunks with a pause between them. */
function slowly(letter: string): Readable {
  return Readable.from(
    (async function* () {
      for (let i = 0; i < 64; i += 1) {
        yield Buffer.alloc(MB / 64, letter);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })(),
  );
}

describe('local object store: files on disk', () => {
  let root: string;
  let store: LocalObjectStore;
  const bucketDir = () => join(root, 'buckets', BUCKET);

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'chimera-files-'));
    store = new LocalObjectStore({ dataDir: root });
    await store.createBucket(BUCKET, { location: 'EUROPE-WEST2' });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.each([false, true])(
    'a source that fails midway leaves no object and no temp file (create-only: %s)',
    async (ifNotExists) => {
      const write = store.write(BUCKET, 'out/shard.ndjson', failingAfter('partial'), {
        ifNotExists,
      });
      await expect(write).rejects.toThrow('source broke');
      expect((await store.list(BUCKET)).objects).toEqual([]);
      expect(await readdir(bucketDir())).toEqual([]);
      expect(await readdir(join(root, '.tmp'))).toEqual([]);
    },
  );

  it('a concurrent reader sees the old or the new object whole, never a part', async () => {
    await store.write(BUCKET, 'big', slowly('A'));
    const writing = store.write(BUCKET, 'big', slowly('B'));
    let done = false;
    void writing.finally(() => (done = true));
    const seen = new Set<string>();
    while (!done) {
      const data = await drain(await store.read(BUCKET, 'big'));
      expect(data.length).toBe(MB);
      seen.add(String.fromCharCode(data[0]!));
      expect(data.every((byte) => byte === data[0])).toBe(true);
    }
    await writing;
    expect(seen.has('A')).toBe(true);
    expect((await drain(await store.read(BUCKET, 'big'))).every((b) => b === 66)).toBe(true);
  });

  it('a file copied in by hand is an object whose generation changes when replaced', async () => {
    await mkdir(join(bucketDir(), 'PRO', '2022'), { recursive: true });
    const path = join(bucketDir(), 'PRO', '2022', '1.197931750.bz2');
    await writeFile(path, 'by hand');

    const [listed] = (await store.list(BUCKET, { glob: '**/*.bz2' })).objects;
    expect(listed).toMatchObject({ name: 'PRO/2022/1.197931750.bz2', size: 7 });
    const first = listed!.generation;
    const read = await store.read(BUCKET, listed!.name, { generation: first });
    expect((await drain(read)).toString()).toBe('by hand');

    // Replaced the way `cp` to a temp name plus `mv` does: same time stamp, new inode.
    const replacement = join(root, 'replacement');
    await writeFile(replacement, 'by hand');
    const stamp = new Date(listed!.updated);
    await utimes(replacement, stamp, stamp);
    await rename(replacement, path);
    const second = (await store.stat(BUCKET, listed!.name)).generation;
    expect(second).not.toBe(first);
    await expect(store.read(BUCKET, listed!.name, { generation: first })).rejects.toMatchObject({
      code: 'OBJECT.GENERATION_MISMATCH',
    });

    // Rewritten in place: same inode, new modification time.
    await writeFile(path, 'edited!');
    await utimes(path, new Date(), new Date(Date.now() + 60_000));
    expect((await store.stat(BUCKET, listed!.name)).generation).not.toBe(second);
  });

  it('keeps bucket options in a sidecar and reports hand-made bucket folders', async () => {
    await mkdir(join(root, 'buckets', 'made-by-hand'));
    await mkdir(join(root, 'buckets', 'Not A Bucket'));
    expect(await store.listBuckets()).toEqual([
      { name: BUCKET, location: 'EUROPE-WEST2', storageClass: 'STANDARD' },
      { name: 'made-by-hand', location: 'LOCAL', storageClass: 'STANDARD' },
    ]);
  });

  it('a delete prunes folders it empties, so the name can become an object', async () => {
    await store.write(BUCKET, 'a/b/c', bytes('x'));
    await store.delete(BUCKET, 'a/b/c');
    expect(await readdir(bucketDir())).toEqual([]);
    await store.write(BUCKET, 'a', bytes('now a file'));
    expect((await store.stat(BUCKET, 'a')).size).toBe(10);
  });

  it('refuses ranges that start past the end', async () => {
    await store.write(BUCKET, 'short', bytes('abc'));
    const error: unknown = await store.read(BUCKET, 'short', { start: 3 }).catch((e: unknown) => e);
    expect(hasCode(error, 'OBJECT.INVALID_ARGUMENT')).toBe(true);
    expect((await drain(await store.read(BUCKET, 'short', { start: 2 }))).toString()).toBe('c');
  });
});

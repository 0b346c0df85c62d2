import { beforeEach, describe, expect, it } from 'vitest';
import type { ObjectInfo, ObjectStore } from '../../../shared/platform/ports/object-store.js';
import { bytes, drain } from './streams.js';

/** A store with a fresh, empty bucket for each test. */
export interface StoreUnderTest {
  store: ObjectStore;
  bucket: string;
}

async function names(objects: AsyncIterable<ObjectInfo> | ObjectInfo[]): Promise<string[]> {
  const out: string[] = [];
  for await (const o of objects) out.push(o.name);
  return out;
}

async function put(t: StoreUnderTest, name: string, content = name): Promise<ObjectInfo> {
  return t.store.write(t.bucket, name, bytes(content));
}

async function content(t: StoreUnderTest, name: string): Promise<string> {
  return (await drain(await t.store.read(t.bucket, name))).toString();
}

const HISTORIC = [
  'PRO/2022/Apr/19/31390184/1.197931750.bz2',
  'PRO/2022/Apr/19/31390184/1.197931751.bz2',
  'PRO/2022/Apr/20/31390200/1.198000000.bz2',
  'PRO/2022/Apr/20/31390200/notes.txt',
  'BASIC/2021/Jan/01/1/1.100.bz2',
  'top.bz2',
  'top.txt',
];

const GLOB_NAMES = [
  '.hidden',
  'a.txt',
  'ab.txt',
  'b.csv',
  'dir/a.txt',
  'dir/b.csv',
  'dir/sub/c.txt',
  'dir/sub/deep/d.txt',
  'dirx/e.txt',
  'lit*.txt',
];

/** (glob, the names of GLOB_NAMES it matches, in byte order). */
const GLOB_TABLE: [string, string[]][] = [
  ['*', ['.hidden', 'a.txt', 'ab.txt', 'b.csv', 'lit*.txt']],
  ['*.txt', ['a.txt', 'ab.txt', 'lit*.txt']],
  ['**', GLOB_NAMES],
  [
    '**/*.txt',
    [
      'a.txt',
      'ab.txt',
      'dir/a.txt',
      'dir/sub/c.txt',
      'dir/sub/deep/d.txt',
      'dirx/e.txt',
      'lit*.txt',
    ],
  ],
  ['dir/*', ['dir/a.txt', 'dir/b.csv']],
  ['dir/**', ['dir/a.txt', 'dir/b.csv', 'dir/sub/c.txt', 'dir/sub/deep/d.txt']],
  ['dir/**/*.txt', ['dir/a.txt', 'dir/sub/c.txt', 'dir/sub/deep/d.txt']],
  ['dir/sub/**/d.txt', ['dir/sub/deep/d.txt']],
  ['dir**.txt', ['dir/a.txt', 'dir/sub/c.txt', 'dir/sub/deep/d.txt', 'dirx/e.txt']],
  ['?.txt', ['a.txt']],
  ['??.txt', ['ab.txt']],
  ['dir?a.txt', []],
  ['[ab]*', ['a.txt', 'ab.txt', 'b.csv']],
  ['[!a]*', ['.hidden', 'b.csv', 'lit*.txt']],
  ['[a-b].*', ['a.txt', 'b.csv']],
  ['*.{txt,csv}', ['a.txt', 'ab.txt', 'b.csv', 'lit*.txt']],
  ['{dir,dirx}/*.txt', ['dir/a.txt', 'dirx/e.txt']],
  ['lit\\*.txt', ['lit*.txt']],
  ['a\\*.txt', []],
];

/**
 * The behaviours every ObjectStore adapter must share. `setup` returns a store and a bucket
 * that exists and is empty.
 */
export function objectStoreContract(label: string, setup: () => Promise<StoreUnderTest>): void {
  describe(`${label}: ObjectStore contract`, () => {
    let t: StoreUnderTest;
    beforeEach(async () => {
      t = await setup();
    });

    describe('list', () => {
      beforeEach(async () => {
        for (const name of HISTORIC) await put(t, name);
      });

      it.each([
        [{ prefix: 'PRO/2022/Apr/19/' }, HISTORIC.slice(0, 2)],
        [{ prefix: 'PRO/', glob: '**/*.bz2' }, HISTORIC.slice(0, 3)],
        [{ glob: '**/*.bz2' }, [HISTORIC[4], ...HISTORIC.slice(0, 3), 'top.bz2']],
        [{ glob: '*.bz2' }, ['top.bz2']],
        [{ glob: 'PRO/*/*/*/*/*.txt' }, ['PRO/2022/Apr/20/31390200/notes.txt']],
        [{ prefix: 'nothing-here/' }, []],
      ])('filters by %j in byte order of names', async (options, expected) => {
        const page = await t.store.list(t.bucket, options);
        expect(page.objects.map((o) => o.name)).toEqual(expected);
        expect(page.nextPageToken).toBeUndefined();
      });

      it('pages through everything once, in order', async () => {
        const seen: string[] = [];
        let pageToken: string | undefined;
        do {
          const page = await t.store.list(t.bucket, { pageSize: 2, pageToken });
          expect(page.objects.length).toBeLessThanOrEqual(2);
          seen.push(...page.objects.map((o) => o.name));
          pageToken = page.nextPageToken;
        } while (pageToken !== undefined);
        expect(seen).toEqual([...HISTORIC].sort());
      });

      it('listAll walks every page with a glob', async () => {
        const all = await names(t.store.listAll(t.bucket, { glob: '**/*.bz2', pageSize: 1 }));
        expect(all).toEqual([HISTORIC[4], ...HISTORIC.slice(0, 3), 'top.bz2']);
      });
    });

    describe('glob: Cloud Storage matchGlob semantics', () => {
      beforeEach(async () => {
        for (const name of GLOB_NAMES) await put(t, name);
      });

      it.each(GLOB_TABLE)('%s matches %j', async (glob, expected) => {
        expect(await names(t.store.listAll(t.bucket, { glob }))).toEqual(expected);
      });

      it.each(['[abc', '{a,b', 'a}', 'a\\'])('refuses the malformed glob %s', async (glob) => {
        await expect(t.store.list(t.bucket, { glob })).rejects.toMatchObject({
          code: 'OBJECT.INVALID_ARGUMENT',
        });
      });
    });

    it('stat reports size, generation, etag and update time', async () => {
      const before = Date.now() - 5_000;
      const written = await put(t, 'a/b.ndjson', '{"op":"mcm"}\n');
      const info = await t.store.stat(t.bucket, 'a/b.ndjson');
      expect(info).toMatchObject({ bucket: t.bucket, name: 'a/b.ndjson', size: 13 });
      expect(info.generation).toBe(written.generation);
      expect(info.generation).not.toBe('');
      expect(info.etag).not.toBe('');
      expect(info.updated.getTime()).toBeGreaterThan(before);
    });

    it('a missing object is OBJECT.NOT_FOUND for stat and read', async () => {
      await expect(t.store.stat(t.bucket, 'nope')).rejects.toMatchObject({
        code: 'OBJECT.NOT_FOUND',
      });
      await expect(t.store.read(t.bucket, 'nope')).rejects.toMatchObject({
        code: 'OBJECT.NOT_FOUND',
      });
    });

    it('a missing bucket is BUCKET.NOT_FOUND', async () => {
      await expect(t.store.list('no-such-bucket-chimera')).rejects.toMatchObject({
        code: 'BUCKET.NOT_FOUND',
      });
      expect(await t.store.bucketExists('no-such-bucket-chimera')).toBe(false);
      expect(await t.store.bucketExists(t.bucket)).toBe(true);
    });

    it.each([
      [{ start: 0, end: 0 }, '0'],
      [{ start: 3, end: 6 }, '3456'],
      [{ start: 7 }, '789'],
      [{ end: 1 }, '01'],
      [{ start: 8, end: 100 }, '89'],
    ])('reads the byte range %j', async (range, expected) => {
      await put(t, 'digits', '0123456789');
      const read = await t.store.read(t.bucket, 'digits', range);
      expect((await drain(read)).toString()).toBe(expected);
    });

    it('reads a generation only while it is current', async () => {
      const first = await put(t, 'g', 'one');
      const again = await t.store.read(t.bucket, 'g', { generation: first.generation });
      expect((await drain(again)).toString()).toBe('one');
      const second = await put(t, 'g', 'two');
      expect(second.generation).not.toBe(first.generation);
      await expect(
        t.store.read(t.bucket, 'g', { generation: first.generation }),
      ).rejects.toMatchObject({
        code: 'OBJECT.GENERATION_MISMATCH',
      });
    });

    it('create-only writes refuse a taken name and keep the first content', async () => {
      await t.store.write(t.bucket, 'once', bytes('first'), { ifNotExists: true });
      await expect(
        t.store.write(t.bucket, 'once', bytes('second'), { ifNotExists: true }),
      ).rejects.toMatchObject({ code: 'OBJECT.ALREADY_EXISTS', kind: 'conflict' });
      expect(await content(t, 'once')).toBe('first');
    });

    it('a plain write replaces the object', async () => {
      await put(t, 'x', 'old');
      await put(t, 'x', 'new');
      expect(await content(t, 'x')).toBe('new');
    });

    it.each([1, 32, 33, 70])('composes %i parts into their concatenation, in order', async (n) => {
      const parts = Array.from(
        { length: n },
        (_, i) => `parts/p-${String(n - i).padStart(3, '0')}`,
      );
      await Promise.all(parts.map((name, i) => put(t, name, `<${i}>`)));
      const info = await t.store.compose(t.bucket, parts, 'out/joined.ndjson');
      const expected = parts.map((_, i) => `<${i}>`).join('');
      expect(await content(t, 'out/joined.ndjson')).toBe(expected);
      expect(info).toMatchObject({ name: 'out/joined.ndjson', size: expected.length });
      const left = await names(t.store.listAll(t.bucket));
      expect(left.sort()).toEqual([...parts, 'out/joined.ndjson'].sort());
    });

    it('compose with a missing source fails naming that source, and writes nothing', async () => {
      await put(t, 'here');
      const failure = t.store.compose(t.bucket, ['here', 'gone'], 'joined');
      await expect(failure).rejects.toMatchObject({
        code: 'OBJECT.NOT_FOUND',
        message: `Cannot compose ${t.bucket}/joined: no source object ${t.bucket}/gone`,
        details: { bucket: t.bucket, name: 'gone', composeDestination: 'joined' },
      });
      expect(await names(t.store.listAll(t.bucket))).toEqual(['here']);
    });

    it('compose past the 32-source limit names the missing source and leaves no temp objects', async () => {
      const parts = Array.from({ length: 40 }, (_, i) => `parts/p-${String(i).padStart(2, '0')}`);
      const present = parts.filter((name) => name !== 'parts/p-35');
      await Promise.all(present.map((name) => put(t, name)));
      await expect(t.store.compose(t.bucket, parts, 'out/all')).rejects.toMatchObject({
        code: 'OBJECT.NOT_FOUND',
        details: { bucket: t.bucket, name: 'parts/p-35', composeDestination: 'out/all' },
      });
      expect(await names(t.store.listAll(t.bucket))).toEqual(present);
    });

    it('delete removes the object and is idempotent', async () => {
      await put(t, 'd/e');
      await t.store.delete(t.bucket, 'd/e');
      await t.store.delete(t.bucket, 'd/e');
      await t.store.delete(t.bucket, 'never-was');
      await expect(t.store.stat(t.bucket, 'd/e')).rejects.toMatchObject({
        code: 'OBJECT.NOT_FOUND',
      });
      expect(await names(t.store.listAll(t.bucket))).toEqual([]);
    });

    it('deletePrefix removes exactly the objects under the prefix, again removing none', async () => {
      const kept = ['job-10/a', 'job-1x', 'other/job-1/a'];
      const removed = ['job-1/a', 'job-1/b/c', 'job-1/d'];
      await Promise.all([...kept, ...removed].map((name) => put(t, name)));
      expect(await t.store.deletePrefix(t.bucket, 'job-1/')).toBe(removed.length);
      expect(await t.store.deletePrefix(t.bucket, 'job-1/')).toBe(0);
      expect(await names(t.store.listAll(t.bucket))).toEqual(kept);
      await expect(t.store.deletePrefix(t.bucket, '')).rejects.toMatchObject({
        code: 'OBJECT.INVALID_ARGUMENT',
      });
      await put(t, 'job-1/again');
      expect(await names(t.store.listAll(t.bucket, { prefix: 'job-1/' }))).toEqual(['job-1/again']);
    });

    it('lists and refuses to recreate buckets', async () => {
      const buckets = await t.store.listBuckets();
      expect(buckets.map((b) => b.name)).toContain(t.bucket);
      await expect(t.store.createBucket(t.bucket)).rejects.toMatchObject({
        code: 'BUCKET.ALREADY_EXISTS',
      });
    });
  });
}

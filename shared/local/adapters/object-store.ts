import { lstatSync, unlinkSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, writeFile, rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import {
  type ObjectInfo,
  assertBucketName,
  type BucketInfo,
  bucketAlreadyExists,
  bucketNotFound,
  composeSourceNotFound,
  listAllPages,
  assertLocalObjectName,
  type ListOptions,
  type ListPage,
  type ObjectStore,
  type ReadOptions,
  type WriteOptions,
  invalidArgument,
  invalidObjectName,
  assertDeletablePrefix,
} from '../../platform/ports/object-store.js';
import {
  LocalLayout,
  objectInfoFromStats,
  publishTempFile,
  listLocalPage,
  readRange,
  openObjectFile,
  passesThroughSymlink,
  type OpenObject,
} from './object-files.js';
import { hasCode } from '../../platform/errors.js';
import {
  closeQuietly,
  descriptors,
  errnoCode,
  isMissing,
  walkNames,
  writeTempFile,
  type ByteSource,
} from '../../platform/files.js';

/** What a bucket folder made by hand, with no sidecar, reports. */
export const LOCAL_BUCKET_DEFAULTS = { location: 'LOCAL', storageClass: 'STANDARD' } as const;

const bucketMeta = z.object({ location: z.string(), storageClass: z.string() });

/** Whether the bucket's folder exists (a valid name is assumed). */
export async function localBucketExists(layout: LocalLayout, bucket: string): Promise<boolean> {
  try {
    return (await lstat(layout.bucketDir(bucket))).isDirectory();
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

/** Throws BUCKET.NOT_FOUND unless the bucket's folder exists. */
export async function assertLocalBucket(layout: LocalLayout, bucket: string): Promise<void> {
  if (!(await localBucketExists(layout, bucket))) throw bucketNotFound(bucket);
}

/** Every folder under `buckets/` whose name is a valid bucket name, sorted by name. */
export async function listLocalBuckets(layout: LocalLayout): Promise<BucketInfo[]> {
  let entries;
  try {
    entries = await readdir(layout.bucketsDir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const names = entries.filter((e) => e.isDirectory() && isBucketName(e.name)).map((e) => e.name);
  return Promise.all(names.sort().map((name) => localBucketInfo(layout, name)));
}

/** Creates the bucket folder and records location and storage class in a sidecar file. */
export async function createLocalBucket(
  layout: LocalLayout,
  bucket: string,
  options: { location?: string; storageClass?: string } = {},
): Promise<BucketInfo> {
  assertBucketName(bucket);
  await mkdir(layout.bucketsDir, { recursive: true });
  try {
    await mkdir(layout.bucketDir(bucket));
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') throw bucketAlreadyExists(bucket, error);
    throw error;
  }
  const meta = { ...LOCAL_BUCKET_DEFAULTS, ...definedOnly(options) };
  await mkdir(layout.metaDir, { recursive: true });
  await writeFile(layout.metaPath(bucket), JSON.stringify(meta));
  return { name: bucket, ...meta };
}

async function localBucketInfo(layout: LocalLayout, bucket: string): Promise<BucketInfo> {
  try {
    const meta = bucketMeta.parse(JSON.parse(await readFile(layout.metaPath(bucket), 'utf8')));
    return { name: bucket, ...meta };
  } catch {
    // A folder made by hand (or a damaged sidecar) still is a bucket.
    return { name: bucket, ...LOCAL_BUCKET_DEFAULTS };
  }
}

function isBucketName(name: string): boolean {
  try {
    assertBucketName(name);
    return true;
  } catch {
    return false;
  }
}

function definedOnly(options: { location?: string; storageClass?: string }) {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

/**
 * The object store on one machine: a folder per bucket under `<dataDir>/buckets/`, a file per
 * object (see LocalLayout). Files copied into a bucket folder by hand are objects too; their
 * generation comes from the file (see generationOf). Content type and custom metadata are not
 * kept, and a name cannot be both an object and a folder of objects (`a` and `a/b`).
 */
export class LocalObjectStore implements ObjectStore {
  private readonly layout: LocalLayout;

  constructor(options: { dataDir: string }) {
    this.layout = new LocalLayout(options.dataDir);
  }

  async list(bucket: string, options?: ListOptions): Promise<ListPage> {
    await this.checkBucket(bucket);
    return listLocalPage(this.layout, bucket, options);
  }

  listAll(bucket: string, options?: Omit<ListOptions, 'pageToken'>): AsyncIterable<ObjectInfo> {
    return listAllPages((b, o) => this.list(b, o), bucket, options);
  }

  async stat(bucket: string, name: string): Promise<ObjectInfo> {
    const { fd, stats } = await this.open(bucket, name);
    descriptors.close(fd);
    return objectInfoFromStats(bucket, name, stats);
  }

  async read(bucket: string, name: string, options: ReadOptions = {}): Promise<Readable> {
    return readRange(await this.open(bucket, name), { bucket, name, ...options });
  }

  async write(
    bucket: string,
    name: string,
    source: Readable,
    options: WriteOptions = {},
  ): Promise<ObjectInfo> {
    this.checkWritable(bucket, name);
    return this.publish(bucket, name, source, options);
  }

  async compose(
    bucket: string,
    sources: string[],
    destination: string,
    options: WriteOptions = {},
  ): Promise<ObjectInfo> {
    if (sources.length === 0) throw invalidArgument('compose needs at least one source');
    this.checkWritable(bucket, destination);
    await this.checkBucket(bucket);
    // Open every source first, so a missing one fails before anything is written.
    const opened: OpenObject[] = [];
    try {
      for (const [i, name] of sources.entries()) {
        opened.push(this.openSource(bucket, name, destination));
        if ((i + 1) % FILE_CALLS_PER_TURN === 0) await setImmediate();
      }
      return await this.publish(bucket, destination, concatenate(opened), options);
    } finally {
      // Also covers a missing source, and a write that failed before the concatenation read.
      for (const { fd } of opened) closeQuietly(fd);
    }
  }

  async delete(bucket: string, name: string): Promise<void> {
    await this.checkBucket(bucket);
    assertLocalObjectName(name);
    if (passesThroughSymlink(this.layout.bucketDir(bucket), name)) return;
    const path = this.layout.objectPath(bucket, name);
    try {
      if (!lstatSync(path).isFile()) return;
      unlinkSync(path);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    await this.removeEmptyFolders(bucket, dirname(path));
  }

  async deletePrefix(bucket: string, prefix: string): Promise<number> {
    await this.checkBucket(bucket);
    assertDeletablePrefix(prefix);
    // The walk never enters a linked folder, so only files inside the bucket are removed.
    const paths: string[] = [];
    for await (const name of walkNames(this.layout.bucketDir(bucket), { prefix })) {
      paths.push(this.layout.objectPath(bucket, name));
    }
    for (const [i, path] of paths.entries()) {
      try {
        unlinkSync(path);
      } catch (error) {
        ignoreMissing(error);
      }
      if ((i + 1) % FILE_CALLS_PER_TURN === 0) await setImmediate();
    }
    const folders = [...new Set(paths.map((path) => dirname(path)))];
    for (const folder of folders.sort((a, b) => b.length - a.length)) {
      await this.removeEmptyFolders(bucket, folder);
    }
    return paths.length;
  }

  listBuckets(): Promise<BucketInfo[]> {
    return listLocalBuckets(this.layout);
  }

  async bucketExists(bucket: string): Promise<boolean> {
    assertBucketName(bucket);
    return localBucketExists(this.layout, bucket);
  }

  createBucket(
    bucket: string,
    options?: { location?: string; storageClass?: string },
  ): Promise<BucketInfo> {
    return createLocalBucket(this.layout, bucket, options);
  }

  private async checkBucket(bucket: string): Promise<void> {
    assertBucketName(bucket);
    await assertLocalBucket(this.layout, bucket);
  }

  /** Opens an object; whether its bucket exists is asked only when it is not found. */
  private async open(bucket: string, name: string) {
    assertBucketName(bucket);
    assertLocalObjectName(name);
    const path = this.layout.objectPath(bucket, name);
    try {
      return openObjectFile(this.layout.bucketDir(bucket), path, bucket, name);
    } catch (error) {
      if (hasCode(error, 'OBJECT.NOT_FOUND')) await this.checkBucket(bucket);
      throw error;
    }
  }

  private openSource(bucket: string, name: string, destination: string): OpenObject {
    assertLocalObjectName(name);
    const path = this.layout.objectPath(bucket, name);
    try {
      return openObjectFile(this.layout.bucketDir(bucket), path, bucket, name);
    } catch (error) {
      if (!hasCode(error, 'OBJECT.NOT_FOUND')) throw error;
      throw composeSourceNotFound(bucket, name, destination, error);
    }
  }

  /** Checks the names; whether the bucket exists is asked when the object is placed. */
  private checkWritable(bucket: string, name: string): void {
    assertBucketName(bucket);
    assertLocalObjectName(name);
    if (passesThroughSymlink(this.layout.bucketDir(bucket), name)) {
      throw invalidObjectName(name, 'leads through a symbolic link');
    }
  }

  private async publish(
    bucket: string,
    name: string,
    source: ByteSource,
    options: WriteOptions,
  ): Promise<ObjectInfo> {
    const temp = this.layout.newTempPath();
    const stats = await writeTempFile(temp, source);
    const path = this.layout.objectPath(bucket, name);
    await publishTempFile(temp, {
      bucket,
      name,
      path,
      ifNotExists: options.ifNotExists,
      bucketExists: () => localBucketExists(this.layout, bucket),
    });
    return objectInfoFromStats(bucket, name, stats);
  }

  /** Drops folders left empty by a delete, so the name can later be an object itself. */
  private async removeEmptyFolders(bucket: string, folder: string): Promise<void> {
    const bucketDir = this.layout.bucketDir(bucket);
    for (let dir = folder; dir.length > bucketDir.length; dir = dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        return; // not empty (or already gone): stop climbing
      }
    }
  }
}

/**
 * The sources' bytes in order: objects never change once written, so each is read to its size.
 * Sources are read straight into chunks of COMPOSE_READ_BYTES, so a thousand small parts are a
 * few writes rather than a thousand, with no copy in between. The reads are synchronous (see
 * `descriptors`), so the event loop gets a turn after each chunk handed on: a large compose
 * never holds up the process.
 */
async function* concatenate(sources: OpenObject[]): AsyncGenerator<Uint8Array> {
  let chunk = Buffer.allocUnsafe(COMPOSE_READ_BYTES);
  let filled = 0;
  for (const { fd, stats } of sources) {
    const size = Number(stats.size);
    for (let position = 0; position < size;) {
      const length = Math.min(chunk.length - filled, size - position);
      const bytesRead = descriptors.read(fd, chunk.subarray(filled), length, position);
      if (bytesRead === 0) break;
      filled += bytesRead;
      position += bytesRead;
      if (filled === chunk.length) {
        yield chunk;
        chunk = Buffer.allocUnsafe(COMPOSE_READ_BYTES);
        filled = 0;
        await setImmediate();
      }
    }
  }
  if (filled > 0) yield chunk.subarray(0, filled);
}

function ignoreMissing(error: unknown): void {
  if (!isMissing(error)) throw error;
}

/** Synchronous file calls a loop over many files makes before the event loop gets a turn. */
const FILE_CALLS_PER_TURN = 1000;

/** The bytes a compose hands on at once, read from one source or several. */
const COMPOSE_READ_BYTES = 1024 * 1024;

import { lstat, rmdir, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { assertBucketName } from './bucket-name.js';
import { isMissing } from './fs-errors.js';
import { listAllPages } from './list-all.js';
import { publishTempFile, writeTempFile, type ByteSource } from './local-atomic-write.js';
import {
  assertLocalBucket,
  createLocalBucket,
  listLocalBuckets,
  localBucketExists,
} from './local-buckets.js';
import { LocalLayout } from './local-layout.js';
import { listLocalPage } from './local-list.js';
import { objectInfoFromStats } from './local-object-info.js';
import { readRange } from './local-read.js';
import { openObjectFile, passesThroughSymlink } from './local-safe-path.js';
import { assertLocalObjectName } from './object-name.js';
import type {
  BucketInfo,
  ListOptions,
  ListPage,
  ObjectInfo,
  ObjectStore,
  ReadOptions,
  WriteOptions,
} from './object-store.js';
import { invalidArgument, invalidObjectName, objectNotFound } from './storage-errors.js';

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
    const { handle, stats } = await this.open(bucket, name);
    await handle.close();
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
    await this.checkWritable(bucket, name);
    return this.publish(bucket, name, source, options);
  }

  async compose(
    bucket: string,
    sources: string[],
    destination: string,
    options: WriteOptions = {},
  ): Promise<ObjectInfo> {
    if (sources.length === 0) throw invalidArgument('compose needs at least one source');
    await this.checkWritable(bucket, destination);
    // Open every source first, so a missing one fails before anything is written.
    const opened = [];
    try {
      for (const name of sources) opened.push(await this.open(bucket, name));
    } catch (error) {
      await Promise.all(opened.map(({ handle }) => handle.close()));
      throw error;
    }
    const handles = opened.map((o) => o.handle);
    try {
      return await this.publish(bucket, destination, concatenate(handles), options);
    } finally {
      // Also covers a write that failed before the concatenation started reading.
      await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
    }
  }

  async delete(bucket: string, name: string): Promise<void> {
    await this.checkBucket(bucket);
    assertLocalObjectName(name);
    if (await passesThroughSymlink(this.layout.bucketDir(bucket), name)) return;
    const path = this.layout.objectPath(bucket, name);
    try {
      if (!(await lstat(path)).isFile()) return;
      await unlink(path);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    await this.removeEmptyFolders(bucket, dirname(path));
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

  private async open(bucket: string, name: string) {
    await this.checkBucket(bucket);
    assertLocalObjectName(name);
    const path = this.layout.objectPath(bucket, name);
    return openObjectFile(this.layout.bucketDir(bucket), path, bucket, name);
  }

  private async checkWritable(bucket: string, name: string): Promise<void> {
    await this.checkBucket(bucket);
    assertLocalObjectName(name);
    if (await passesThroughSymlink(this.layout.bucketDir(bucket), name)) {
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
    await writeTempFile(temp, source);
    const path = this.layout.objectPath(bucket, name);
    await publishTempFile(temp, { bucket, name, path, ifNotExists: options.ifNotExists });
    const stats = await lstat(path, { bigint: true }).catch((error: unknown) => {
      throw isMissing(error) ? objectNotFound(bucket, name, error) : error;
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

async function* concatenate(handles: FileHandle[]): AsyncGenerator<Uint8Array> {
  for (const handle of handles) {
    yield* handle.createReadStream({ autoClose: false }) as AsyncIterable<Uint8Array>;
  }
}

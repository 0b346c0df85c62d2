import { Readable } from 'node:stream';
import {
  type BucketInfo,
  type ListOptions,
  type ListPage,
  type ObjectInfo,
  type ObjectStore,
  objectNotFound,
} from '../../shared/platform/ports/object-store.js';
import { compileObjectGlob } from '../../shared/platform/ports/object-glob.js';

/** An in-memory object store for generator tests: enough of the port to write and read back. */
export class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, Map<string, Buffer>>();
  private generation = 0;

  list(bucket: string, options: ListOptions = {}): Promise<ListPage> {
    const names = [...this.bucket(bucket).keys()]
      .filter((n) => n.startsWith(options.prefix ?? ''))
      .filter((n) => !options.glob || compileObjectGlob(options.glob)(n))
      .sort();
    return Promise.resolve({ objects: names.map((name) => this.info(bucket, name)) });
  }

  async *listAll(
    bucket: string,
    options?: Omit<ListOptions, 'pageToken'>,
  ): AsyncIterable<ObjectInfo> {
    yield* (await this.list(bucket, options)).objects;
  }

  stat(bucket: string, name: string): Promise<ObjectInfo> {
    return Promise.resolve(this.info(bucket, name));
  }

  read(bucket: string, name: string): Promise<Readable> {
    return Promise.resolve(Readable.from([this.bytes(bucket, name)]));
  }

  async write(bucket: string, name: string, source: Readable): Promise<ObjectInfo> {
    const chunks: Buffer[] = [];
    for await (const chunk of source as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
    this.bucket(bucket).set(name, Buffer.concat(chunks));
    this.generation += 1;
    return this.info(bucket, name);
  }

  async compose(bucket: string, sources: string[], destination: string): Promise<ObjectInfo> {
    const joined = Buffer.concat(sources.map((name) => this.bytes(bucket, name)));
    return this.write(bucket, destination, Readable.from([joined]));
  }

  delete(bucket: string, name: string): Promise<void> {
    this.objects.get(bucket)?.delete(name);
    return Promise.resolve();
  }

  deletePrefix(bucket: string, prefix: string): Promise<number> {
    const objects = this.objects.get(bucket);
    const names = [...(objects?.keys() ?? [])].filter((name) => name.startsWith(prefix));
    for (const name of names) objects!.delete(name);
    return Promise.resolve(names.length);
  }

  listBuckets(): Promise<BucketInfo[]> {
    return Promise.resolve([...this.objects.keys()].map((name) => bucketInfo(name)));
  }

  bucketExists(bucket: string): Promise<boolean> {
    return Promise.resolve(this.objects.has(bucket));
  }

  createBucket(bucket: string): Promise<BucketInfo> {
    this.objects.set(bucket, new Map());
    return Promise.resolve(bucketInfo(bucket));
  }

  /** The stored bytes of an object; throws OBJECT.NOT_FOUND. */
  bytes(bucket: string, name: string): Buffer {
    const found = this.objects.get(bucket)?.get(name);
    if (!found) throw objectNotFound(bucket, name);
    return found;
  }

  private bucket(bucket: string): Map<string, Buffer> {
    const found = this.objects.get(bucket);
    if (!found) throw new Error(`no bucket ${bucket}`);
    return found;
  }

  private info(bucket: string, name: string): ObjectInfo {
    const size = this.bytes(bucket, name).length;
    const generation = String(this.generation);
    return { bucket, name, size, generation, etag: generation, updated: new Date(0) };
  }
}

function bucketInfo(name: string): BucketInfo {
  return { name, location: 'LOCAL', storageClass: 'STANDARD' };
}

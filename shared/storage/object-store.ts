import type { Readable } from 'node:stream';

/** What a store knows about one stored object. */
export interface ObjectInfo {
  bucket: string;
  name: string;
  size: number;
  /**
   * Opaque; changes on every overwrite. The idempotency key of a source file is
   * (bucket, name, generation).
   */
  generation: string;
  etag: string;
  updated: Date;
  contentType?: string;
}

export interface ListOptions {
  /** Only names starting with this prefix. */
  prefix?: string;
  /** Only names matching this glob (picomatch syntax, `**` crosses folders), applied after `prefix`. */
  glob?: string;
  /** Maximum objects in one page (default 1000). */
  pageSize?: number;
  /** Opaque token from the previous page (`nextPageToken`). */
  pageToken?: string;
}

export interface ListPage {
  objects: ObjectInfo[];
  /** Present when more objects follow. */
  nextPageToken?: string;
}

export interface ReadOptions {
  /** Fail with OBJECT.GENERATION_MISMATCH unless the object still has this generation. */
  generation?: string;
  /** First byte to read (inclusive). */
  start?: number;
  /** Last byte to read (inclusive), as in an HTTP Range header. */
  end?: number;
}

export interface WriteOptions {
  contentType?: string;
  /** Create only: fail with OBJECT.ALREADY_EXISTS when the name is taken (GCS ifGenerationMatch: 0). */
  ifNotExists?: boolean;
  metadata?: Record<string, string>;
}

export interface BucketInfo {
  name: string;
  location: string;
  storageClass: string;
}

/**
 * The object store port: Cloud Storage in the cloud, a folder per bucket locally.
 * Errors are AppErrors (see storage-errors.ts) with codes OBJECT.NOT_FOUND, OBJECT.ALREADY_EXISTS,
 * OBJECT.GENERATION_MISMATCH, OBJECT.INVALID_NAME, OBJECT.INVALID_ARGUMENT, BUCKET.NOT_FOUND,
 * BUCKET.INVALID_NAME, BUCKET.ALREADY_EXISTS, or STORAGE.UNAVAILABLE (kind 'unavailable', retryable).
 */
export interface ObjectStore {
  list(bucket: string, options?: ListOptions): Promise<ListPage>;
  /** Every page of `list`, in name order. */
  listAll(bucket: string, options?: Omit<ListOptions, 'pageToken'>): AsyncIterable<ObjectInfo>;
  stat(bucket: string, name: string): Promise<ObjectInfo>;
  /** Bytes of the object; rejects before the first byte when it is missing. */
  read(bucket: string, name: string, options?: ReadOptions): Promise<Readable>;
  /**
   * Streams `source` into the object. Nothing is visible under `name` until the whole stream
   * was written; a failed stream leaves no object behind.
   */
  write(
    bucket: string,
    name: string,
    source: Readable,
    options?: WriteOptions,
  ): Promise<ObjectInfo>;
  /** Joins `sources` in order into `destination`; any count (chained past GCS's 32-object limit). */
  compose(
    bucket: string,
    sources: string[],
    destination: string,
    options?: WriteOptions,
  ): Promise<ObjectInfo>;
  /** Removes the object; a missing object is not an error (idempotent). */
  delete(bucket: string, name: string): Promise<void>;
  listBuckets(): Promise<BucketInfo[]>;
  bucketExists(bucket: string): Promise<boolean>;
  /** Fails with BUCKET.ALREADY_EXISTS when the name is taken. */
  createBucket(
    bucket: string,
    options?: { location?: string; storageClass?: string },
  ): Promise<BucketInfo>;
}

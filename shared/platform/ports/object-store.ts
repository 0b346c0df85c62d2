import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { AppError, echo, hasCode } from '../errors.js';

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
  /**
   * Only names matching this glob, applied after `prefix`: Cloud Storage's `matchGlob` syntax
   * (`*`, `**`, `?`, `[abc]`, `[!abc]`, `{a,b}`, `\` escapes) in every store; see
   * compileObjectGlob.
   */
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
  /**
   * Removes every object whose name starts with `prefix` (never empty: a whole bucket is not
   * cleared by accident) and says how many it removed; idempotent like `delete`.
   */
  deletePrefix(bucket: string, prefix: string): Promise<number>;
  listBuckets(): Promise<BucketInfo[]>;
  bucketExists(bucket: string): Promise<boolean>;
  /** Fails with BUCKET.ALREADY_EXISTS when the name is taken. */
  createBucket(
    bucket: string,
    options?: { location?: string; storageClass?: string },
  ): Promise<BucketInfo>;
}

/** Objects in one page when the caller does not say. */
export const DEFAULT_PAGE_SIZE = 1000;

type ListFn = (bucket: string, options: ListOptions) => Promise<ListPage>;

/** Every object of every page of `list`, in the order the pages give them. */
export async function* listAllPages(
  list: ListFn,
  bucket: string,
  options: Omit<ListOptions, 'pageToken'> = {},
): AsyncIterable<ObjectInfo> {
  let pageToken: string | undefined;
  do {
    const page = await list(bucket, { ...options, pageToken });
    yield* page.objects;
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
}

/** A stored JSON document, or undefined when there is none yet. */
export async function readJsonObject(
  store: ObjectStore,
  bucket: string,
  name: string,
): Promise<unknown> {
  try {
    return JSON.parse((await buffer(await store.read(bucket, name))).toString('utf8')) as unknown;
  } catch (error) {
    if (hasCode(error, 'OBJECT.NOT_FOUND') || hasCode(error, 'BUCKET.NOT_FOUND')) return undefined;
    throw error;
  }
}

/** An inclusive byte range that fits the object, or `undefined` for the whole (empty) object. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The range to read from an object of `size` bytes. `end` past the last byte is clamped, as
 * Cloud Storage does; `start` past it, or `end` before `start`, is OBJECT.INVALID_ARGUMENT.
 */
export function resolveByteRange(
  size: number,
  { start = 0, end }: { start?: number; end?: number },
): ByteRange | undefined {
  if (!isOffset(start) || (end !== undefined && !isOffset(end))) {
    throw invalidArgument('start and end must be non-negative integers');
  }
  if (end !== undefined && end < start)
    throw invalidArgument(`end ${end} is before start ${start}`);
  if (size === 0 && start === 0) return undefined;
  if (start >= size) throw invalidArgument(`start ${start} is past the end (${size} bytes)`);
  return { start, end: Math.min(end ?? size - 1, size - 1) };
}

function isOffset(n: number): boolean {
  return Number.isInteger(n) && n >= 0;
}

/** Cloud Storage's limit on an object name, in UTF-8 bytes. */
export const MAX_OBJECT_NAME_BYTES = 1024;

/**
 * Checks a name against Cloud Storage's own rules: 1–1024 UTF-8 bytes, no carriage return or
 * line feed, not `.` or `..`. Throws OBJECT.INVALID_NAME.
 */
export function assertCloudObjectName(name: string): void {
  const reason = cloudObjectNameProblem(name);
  if (reason !== undefined) throw invalidObjectName(name, reason);
}

function cloudObjectNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'empty';
  if (Buffer.byteLength(name, 'utf8') > MAX_OBJECT_NAME_BYTES) {
    return `longer than ${MAX_OBJECT_NAME_BYTES} bytes`;
  }
  if (/[\r\n]/.test(name)) return 'contains a line break';
  if (name === '.' || name === '..') return 'is a relative path';
  // A lone surrogate would be written as U+FFFD, so the stored name would differ from the asked one.
  if (Buffer.from(name, 'utf8').toString('utf8') !== name) return 'is not valid Unicode';
  return undefined;
}

/**
 * Checks a name that becomes a file path under a bucket folder, so it can never resolve outside
 * it: the Cloud Storage rules plus no NUL, backslash, leading slash, or empty, `.` or `..`
 * segment (which also rules out a trailing slash). Throws OBJECT.INVALID_NAME.
 */
export function assertLocalObjectName(name: string): void {
  const reason = localObjectNameProblem(name);
  if (reason !== undefined) throw invalidObjectName(name, reason);
}

/**
 * What is wrong with a name under the local store's rules, the strictest of the stores (every
 * name they accept, Cloud Storage accepts too), or undefined when nothing is.
 */
export function localObjectNameProblem(name: string): string | undefined {
  const cloud = cloudObjectNameProblem(name);
  if (cloud !== undefined) return cloud;
  if (name.includes('\0')) return 'contains NUL';
  if (name.includes('\\')) return 'contains a backslash';
  if (name.startsWith('/')) return 'is an absolute path';
  for (const segment of name.split('/')) {
    if (segment === '') return 'has an empty path segment';
    if (segment === '.' || segment === '..') return `has a "${segment}" path segment`;
  }
  return undefined;
}

const ALLOWED = /^[a-z0-9][a-z0-9._-]*[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Checks a bucket name against Cloud Storage's naming rules: 3–63 characters (up to 222 when
 * dotted, each dot-separated part at most 63), lowercase letters, digits, `-`, `_` and `.`,
 * starting and ending with a letter or digit, not an IP address, not starting with `goog` and
 * not containing `google`. Throws BUCKET.INVALID_NAME.
 */
export function assertBucketName(bucket: string): void {
  const reason = bucketNameProblem(bucket);
  if (reason !== undefined) throw invalidBucketName(bucket, reason);
}

function bucketNameProblem(bucket: string): string | undefined {
  const maxLength = bucket.includes('.') ? 222 : 63;
  if (bucket.length < 3 || bucket.length > maxLength) return `must be 3–${maxLength} characters`;
  if (!ALLOWED.test(bucket)) {
    return 'use a-z, 0-9, "-", "_" and ".", starting and ending with a letter or digit';
  }
  if (bucket.split('.').some((part) => part.length === 0 || part.length > 63)) {
    return 'each dot-separated part must be 1–63 characters';
  }
  if (IP_ADDRESS.test(bucket)) return 'must not look like an IP address';
  if (bucket.startsWith('goog') || bucket.includes('google')) return 'must not name Google';
  return undefined;
}

/** The object an OBJECT.NOT_FOUND is about, and the compose it was a source of, if any. */
export interface MissingObject {
  bucket: string;
  name: string;
  composeDestination?: string;
}

/** OBJECT.NOT_FOUND, naming the missing object in its message and `details`. */
export class ObjectNotFoundError extends AppError {
  constructor(
    readonly details: MissingObject,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('OBJECT.NOT_FOUND', 'not_found', message, options);
  }
}

/** OBJECT.NOT_FOUND: no object under this name (or not the requested generation). */
export function objectNotFound(bucket: string, name: string, cause?: unknown): AppError {
  return new ObjectNotFoundError({ bucket, name }, `No object ${bucket}/${name}`, { cause });
}

/** OBJECT.NOT_FOUND for a compose: names the source that is missing, not the destination. */
export function composeSourceNotFound(
  bucket: string,
  source: string,
  destination: string,
  cause?: unknown,
): AppError {
  const details = { bucket, name: source, composeDestination: destination };
  const message = `Cannot compose ${bucket}/${destination}: no source object ${bucket}/${source}`;
  return new ObjectNotFoundError(details, message, { cause });
}

/** OBJECT.ALREADY_EXISTS: a create-only write found the name taken. */
export function objectAlreadyExists(bucket: string, name: string, cause?: unknown): AppError {
  return new AppError('OBJECT.ALREADY_EXISTS', 'conflict', `Object ${bucket}/${name} exists`, {
    cause,
  });
}

/** OBJECT.GENERATION_MISMATCH: the object was replaced since its generation was read. */
export function generationMismatch(
  bucket: string,
  name: string,
  expected: string,
  cause?: unknown,
): AppError {
  const message = `Object ${bucket}/${name} is no longer generation ${expected}`;
  return new AppError('OBJECT.GENERATION_MISMATCH', 'conflict', message, { cause });
}

/** OBJECT.INVALID_NAME: a name the store refuses (unsafe, too long, malformed). */
export function invalidObjectName(name: string, reason: string): AppError {
  return new AppError(
    'OBJECT.INVALID_NAME',
    'invalid',
    `Invalid object name ${echo(JSON.stringify(name))}: ${reason}`,
  );
}

/** OBJECT.INVALID_ARGUMENT: a request that can never succeed as sent. */
export function invalidArgument(message: string, cause?: unknown): AppError {
  return new AppError('OBJECT.INVALID_ARGUMENT', 'invalid', message, { cause });
}

/** Refuses the empty prefix, which would clear the whole bucket. */
export function assertDeletablePrefix(prefix: string): void {
  if (prefix === '') throw invalidArgument('deletePrefix needs a non-empty prefix');
}

/** BUCKET.NOT_FOUND. */
export function bucketNotFound(bucket: string, cause?: unknown): AppError {
  return new AppError('BUCKET.NOT_FOUND', 'not_found', `No bucket ${bucket}`, { cause });
}

/** BUCKET.ALREADY_EXISTS: createBucket on a taken name. */
export function bucketAlreadyExists(bucket: string, cause?: unknown): AppError {
  return new AppError('BUCKET.ALREADY_EXISTS', 'conflict', `Bucket ${bucket} exists`, { cause });
}

/** BUCKET.INVALID_NAME: a name outside Cloud Storage's bucket naming rules. */
export function invalidBucketName(bucket: string, reason: string): AppError {
  const message = `Invalid bucket name ${echo(JSON.stringify(bucket))}: ${reason}`;
  return new AppError('BUCKET.INVALID_NAME', 'invalid', message);
}

/** STORAGE.UNAVAILABLE: an outage (5xx, throttling, network); retrying later can help. */
export function storageUnavailable(message: string, cause?: unknown): AppError {
  return new AppError('STORAGE.UNAVAILABLE', 'unavailable', message, { cause });
}

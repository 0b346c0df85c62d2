import type { Bucket, Storage } from '@google-cloud/storage';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pLimit from 'p-limit';
import { AppError, hasCode } from '../errors.js';
import { planCompose, type ComposeStep } from '../ports/compose-plan.js';
import { compileObjectGlob } from '../ports/object-glob.js';
import {
  assertBucketName,
  resolveByteRange,
  DEFAULT_PAGE_SIZE,
  listAllPages,
  assertCloudObjectName,
  type BucketInfo,
  type ListOptions,
  type ListPage,
  type ObjectInfo,
  type ObjectStore,
  type ReadOptions,
  type WriteOptions,
  generationMismatch,
  invalidArgument,
  bucketAlreadyExists,
  bucketNotFound,
  composeSourceNotFound,
  assertDeletablePrefix,
  objectAlreadyExists,
  objectNotFound,
  storageUnavailable,
} from '../ports/object-store.js';
import { createStorageClient } from './storage-client.js';

/** How to reach Cloud Storage. */
export interface CloudObjectStoreOptions {
  projectId: string;
  /**
   * The base URL of a Cloud Storage JSON-API emulator (`STORAGE_EMULATOR_HOST`), with or without
   * `/storage/v1`; no credentials are sent. Without it, Cloud Storage itself.
   */
  apiEndpoint?: string;
}

/**
 * The object store on Cloud Storage. Uploads are single-request (not resumable): a failed
 * upload is redone whole by the caller's retry, and no upload session outlives an instance.
 */
export class CloudObjectStore implements ObjectStore {
  private readonly storage: Storage;

  constructor(options: CloudObjectStoreOptions) {
    this.storage = createStorageClient(options.projectId, options.apiEndpoint || undefined);
  }

  async list(bucket: string, options: ListOptions = {}): Promise<ListPage> {
    // Refused here as the local store refuses it, rather than by whatever the server says.
    if (options.glob !== undefined) compileObjectGlob(options.glob);
    const query = {
      autoPaginate: false,
      prefix: options.prefix,
      matchGlob: options.glob,
      maxResults: options.pageSize ?? DEFAULT_PAGE_SIZE,
      pageToken: options.pageToken,
    };
    const [files, next] = await this.call({ bucket }, () => this.bucket(bucket).getFiles(query));
    const objects = files.map((f) => objectInfoFromResource(f.metadata, { bucket, name: f.name }));
    return next?.pageToken ? { objects, nextPageToken: next.pageToken } : { objects };
  }

  listAll(bucket: string, options?: Omit<ListOptions, 'pageToken'>): AsyncIterable<ObjectInfo> {
    return listAllPages((b, o) => this.list(b, o), bucket, options);
  }

  async stat(bucket: string, name: string): Promise<ObjectInfo> {
    assertCloudObjectName(name);
    const [resource] = await this.call({ bucket, name }, () =>
      this.bucket(bucket).file(name).getMetadata(),
    );
    return objectInfoFromResource(resource, { bucket, name });
  }

  async read(bucket: string, name: string, options: ReadOptions = {}): Promise<Readable> {
    const info = await this.stat(bucket, name);
    if (options.generation !== undefined && options.generation !== info.generation) {
      throw generationMismatch(bucket, name, options.generation);
    }
    const range = resolveByteRange(info.size, options);
    // Pinned to the generation just checked, so a replacement in between cannot be mixed in.
    const file = this.bucket(bucket).file(name, { generation: info.generation });
    const context = { bucket, name, generation: info.generation };
    return withMappedErrors(file.createReadStream(range ?? {}), context);
  }

  async write(
    bucket: string,
    name: string,
    source: Readable,
    options: WriteOptions = {},
  ): Promise<ObjectInfo> {
    assertCloudObjectName(name);
    const file = this.bucket(bucket).file(name);
    const upload = file.createWriteStream({
      resumable: false,
      contentType: options.contentType,
      metadata: options.metadata ? { metadata: options.metadata } : undefined,
      preconditionOpts: options.ifNotExists ? { ifGenerationMatch: 0 } : undefined,
    });
    const context = { bucket, name, ifNotExists: options.ifNotExists };
    await this.call(context, () => pipeline(source, upload));
    return objectInfoFromResource(file.metadata, { bucket, name });
  }

  async compose(
    bucket: string,
    sources: string[],
    destination: string,
    options: WriteOptions = {},
  ): Promise<ObjectInfo> {
    if (sources.length === 0) throw invalidArgument('compose needs at least one source');
    [...sources, destination].forEach(assertCloudObjectName);
    const plan = planCompose(sources, destination);
    const last = plan.rounds.length - 1;
    try {
      let result: ObjectInfo | undefined;
      for (const [index, round] of plan.rounds.entries()) {
        const stepOptions = index === last ? options : {};
        const infos = await Promise.all(
          round.map((step) => this.composeStep(bucket, step, destination, stepOptions)),
        );
        result = infos[0];
      }
      return result!;
    } finally {
      await Promise.all(
        plan.intermediates.map((name) => this.delete(bucket, name).catch(() => {})),
      );
    }
  }

  async delete(bucket: string, name: string): Promise<void> {
    assertCloudObjectName(name);
    await this.call({ bucket, name }, () =>
      this.bucket(bucket).file(name).delete({ ignoreNotFound: true }),
    );
  }

  async deletePrefix(bucket: string, prefix: string): Promise<number> {
    assertDeletablePrefix(prefix);
    const names: string[] = [];
    for await (const object of this.listAll(bucket, { prefix })) names.push(object.name);
    const limit = pLimit(DELETES_AT_ONCE);
    await Promise.all(names.map((name) => limit(() => this.delete(bucket, name))));
    return names.length;
  }

  async listBuckets(): Promise<BucketInfo[]> {
    const [buckets] = await this.call({ bucket: '*' }, () => this.storage.getBuckets());
    return buckets.map((b) => bucketInfoFromResource(b.name, b.metadata));
  }

  async bucketExists(bucket: string): Promise<boolean> {
    const [exists] = await this.call({ bucket }, () => this.bucket(bucket).exists());
    return exists;
  }

  async createBucket(
    bucket: string,
    options: { location?: string; storageClass?: string } = {},
  ): Promise<BucketInfo> {
    const [created] = await this.call({ bucket }, () =>
      this.storage.createBucket(bucket, { ...options }),
    );
    return bucketInfoFromResource(bucket, { ...options, ...created.metadata });
  }

  private bucket(name: string): Bucket {
    assertBucketName(name);
    return this.storage.bucket(name);
  }

  private async composeStep(
    bucket: string,
    step: ComposeStep,
    destination: string,
    options: WriteOptions,
  ): Promise<ObjectInfo> {
    const target = this.bucket(bucket).file(step.target);
    if (options.contentType) target.metadata.contentType = options.contentType;
    const preconditions = options.ifNotExists ? { ifGenerationMatch: 0 } : {};
    const context = { bucket, name: step.target, ifNotExists: options.ifNotExists };
    try {
      const [, response] = await this.bucket(bucket).combine(step.sources, target, preconditions);
      return objectInfoFromResource(response as CloudObjectResource, {
        bucket,
        name: step.target,
      });
    } catch (error) {
      if (httpStatus(error) !== 404) throw mapCloudError(error, context);
      // A 404 here is about a source or the bucket: find out which, to name it.
      const missing = await this.firstMissing(bucket, step.sources);
      if (missing === undefined) throw mapCloudError(error, context);
      throw composeSourceNotFound(bucket, missing, destination, error);
    }
  }

  /** The first of `names`, in order, that is not in the bucket (BUCKET.NOT_FOUND when it is gone). */
  private async firstMissing(bucket: string, names: string[]): Promise<string | undefined> {
    const present = await Promise.all(
      names.map((name) =>
        this.stat(bucket, name).then(
          () => true,
          (error: unknown) => {
            if (hasCode(error, 'OBJECT.NOT_FOUND')) return false;
            throw error;
          },
        ),
      ),
    );
    const index = present.indexOf(false);
    return index === -1 ? undefined : names[index];
  }

  private async call<T>(context: CloudErrorContext, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw mapCloudError(error, context);
    }
  }
}

/** The download as a stream whose failures are AppErrors; stopping it stops the download. */
function withMappedErrors(download: Readable, context: CloudErrorContext): Readable {
  const out = new PassThrough();
  download.on('error', (error) => out.destroy(mapCloudError(error, context) as Error));
  out.on('close', () => download.destroy());
  return download.pipe(out);
}

/** What the failed call was about, to pick the right code for a status. */
export interface CloudErrorContext {
  bucket: string;
  name?: string;
  ifNotExists?: boolean;
  generation?: string;
}

/** Object deletes in flight for deletePrefix, one request each. */
const DELETES_AT_ONCE = 16;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
  // The client's checksum check failed: bytes were damaged on the way, so a retry can help.
  'FILE_NO_UPLOAD',
  'CONTENT_DOWNLOAD_MISMATCH',
]);

/**
 * A Cloud Storage client failure as an AppError: 404 → OBJECT/BUCKET.NOT_FOUND, 409 and 412 →
 * ALREADY_EXISTS or GENERATION_MISMATCH, 400 and 416 → OBJECT.INVALID_ARGUMENT, 408, 429, 5xx
 * network failures and checksum mismatches → STORAGE.UNAVAILABLE. Anything else (a caller's own stream error, an
 * AppError) is returned unchanged.
 */
export function mapCloudError(error: unknown, context: CloudErrorContext): unknown {
  if (error instanceof AppError) return error;
  const status = httpStatus(error);
  if (status === undefined) {
    return isNetworkFailure(error) ? storageUnavailable(describe(error), error) : error;
  }
  return fromStatus(status, error, context);
}

function fromStatus(status: number, error: unknown, context: CloudErrorContext): AppError {
  const { bucket, name } = context;
  if (status === 404) {
    const noBucket =
      name === undefined || /bucket does not exist|no such bucket/i.test(describe(error));
    return noBucket ? bucketNotFound(bucket, error) : objectNotFound(bucket, name, error);
  }
  if (status === 409 && name === undefined) return bucketAlreadyExists(bucket, error);
  if (status === 409 || (status === 412 && context.ifNotExists)) {
    return objectAlreadyExists(bucket, name ?? '', error);
  }
  if (status === 412)
    return generationMismatch(bucket, name ?? '', context.generation ?? '', error);
  if (status === 400 || status === 416) return invalidArgument(describe(error), error);
  if (status === 408 || status === 429 || status >= 500) {
    return storageUnavailable(`Cloud Storage answered ${status}: ${describe(error)}`, error);
  }
  return new AppError('STORAGE.FAILED', 'internal', `Cloud Storage answered ${status}`, {
    cause: error,
  });
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, response } = error as { code?: unknown; response?: { status?: unknown } };
  if (typeof code === 'number') return code;
  return typeof response?.status === 'number' ? response.status : undefined;
}

function isNetworkFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return cause !== undefined && cause !== error && isNetworkFailure(cause);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The fields of a Cloud Storage object resource this store reports. */
export interface CloudObjectResource {
  bucket?: string;
  name?: string;
  size?: string | number;
  generation?: string | number;
  etag?: string;
  updated?: string;
  contentType?: string;
}

/** A Cloud Storage object resource as ObjectInfo. */
export function objectInfoFromResource(
  resource: CloudObjectResource,
  fallback: { bucket: string; name: string },
): ObjectInfo {
  const info: ObjectInfo = {
    bucket: resource.bucket ?? fallback.bucket,
    name: resource.name ?? fallback.name,
    size: Number(resource.size ?? 0),
    generation: String(resource.generation ?? ''),
    etag: resource.etag ?? '',
    updated: new Date(resource.updated ?? 0),
  };
  if (resource.contentType !== undefined) info.contentType = resource.contentType;
  return info;
}

/** A Cloud Storage bucket resource as BucketInfo. */
export function bucketInfoFromResource(
  name: string,
  resource: { location?: string; storageClass?: string },
): BucketInfo {
  return {
    name,
    location: resource.location ?? 'US',
    storageClass: resource.storageClass ?? 'STANDARD',
  };
}

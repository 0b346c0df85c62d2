import { lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { assertBucketName } from './bucket-name.js';
import { errnoCode, isMissing } from './fs-errors.js';
import type { LocalLayout } from './local-layout.js';
import type { BucketInfo } from './object-store.js';
import { bucketAlreadyExists, bucketNotFound } from './storage-errors.js';

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

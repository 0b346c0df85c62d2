import { assertBucketName } from '../storage/bucket-name.js';
import type { ObjectStore } from '../storage/object-store.js';
import { bucketNotFoundDetail } from './gcp-errors.js';

/**
 * Throws BUCKET.NOT_FOUND ("Bucket X not found") unless the bucket exists. A name outside
 * Cloud Storage's rules fails first with BUCKET.INVALID_NAME naming the rule, whatever the
 * store would have answered for it.
 */
export async function requireBucket(store: ObjectStore, bucket: string): Promise<void> {
  assertBucketName(bucket);
  if (!(await store.bucketExists(bucket))) throw bucketNotFoundDetail(bucket);
}

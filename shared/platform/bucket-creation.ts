import { AppError } from './errors.js';
import type { ObjectStore } from './ports/object-store.js';

/** BUCKET.CREATION_DISABLED: this deployment does not create buckets; a 400 that says what to do. */
export function bucketCreationDisabled(bucket: string): AppError {
  return new AppError(
    'BUCKET.CREATION_DISABLED',
    'invalid',
    `Bucket ${bucket} was not created: this deployment does not create buckets ` +
      '(CHIMERA_BUCKET_CREATION=false; its functions are not allowed to). Create the bucket ' +
      'yourself and add it to CHIMERA_EXTRA_TARGET_BUCKETS (then apply the stack again), or ' +
      'write to the deployment’s target bucket',
  );
}

/**
 * The store as the configuration allows it: with bucket creation switched off, createBucket
 * fails with BUCKET.CREATION_DISABLED before asking Cloud Storage (which would answer 403);
 * everything else is the store itself.
 */
export function withBucketCreation(store: ObjectStore, allowed: boolean): ObjectStore {
  if (allowed) return store;
  return new Proxy(store, {
    get(target, property) {
      if (property === 'createBucket') {
        return (bucket: string) => Promise.reject(bucketCreationDisabled(bucket));
      }
      const value = Reflect.get(target, property, target) as unknown;
      // Methods run on the store itself, so its private fields stay reachable.
      return typeof value === 'function' && property !== 'constructor'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

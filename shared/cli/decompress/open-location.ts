import type { ObjectStore } from '../../storage/object-store.js';
import { UsageError } from '../usage-error.js';
import { BucketLocation } from './bucket-location.js';
import { FolderLocation } from './folder-location.js';
import type { Location } from './location.js';

/** Makes the object store behind `gs://` locations, only when one is used. */
export type ObjectStoreFactory = () => ObjectStore;

/** `gs://bucket/prefix` as a bucket location; anything else as a local folder. */
export function openLocation(spec: string, objectStore: ObjectStoreFactory): Location {
  if (!spec.startsWith('gs://')) return new FolderLocation(spec);
  const match = /^gs:\/\/([^/]+)\/?(.*)$/.exec(spec);
  if (!match?.[1]) throw new UsageError(`"${spec}" is not gs://bucket[/prefix]`);
  return new BucketLocation(objectStore(), match[1], match[2] ?? '');
}

/** Fails with a UsageError when `location` is a local folder that does not exist. */
export async function assertSourceExists(location: Location): Promise<void> {
  if (location instanceof FolderLocation && !(await location.exists())) {
    throw new UsageError(`source folder "${location.label}" does not exist`);
  }
}

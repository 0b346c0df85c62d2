import type { BucketInfo, ObjectInfo } from './object-store.js';

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

import { z } from 'zod';

/** Cloud Storage classes a new bucket may have. */
export const STORAGE_CLASSES = ['STANDARD', 'NEARLINE', 'COLDLINE', 'ARCHIVE'] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];

// Bucket-name rules are checked by assertBucketName, whose message names the rule that failed.
const bucketName = z.string().min(1);
const projectId = z.string().min(1).max(100);

/** `:projectId` of `GET /api/gcp/projects/:projectId/buckets`. */
export const projectParams = z.object({ projectId });

/** `:bucket` and the optional `*path` (segments, as Express 5 gives a wildcard) of browse. */
export const browseParams = z.object({
  bucket: bucketName,
  path: z.array(z.string()).default([]),
});

/** `:name` of `GET /api/gcp/buckets/check/:name`. */
export const checkParams = z.object({ name: bucketName });

/** Body of `POST /api/gcp/buckets/create`. */
export const createBucketBody = z.object({
  projectId,
  bucketName,
  location: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'must be a location such as EU or europe-west2')
    .default('EU')
    .transform((location) => location.toUpperCase()),
  storageClass: z.enum(STORAGE_CLASSES).default('STANDARD'),
  /** Days objects must be kept, or null for no policy. */
  retention: z.number().int().min(1).max(36_500).nullable().default(null),
});
export type CreateBucketBody = z.output<typeof createBucketBody>;

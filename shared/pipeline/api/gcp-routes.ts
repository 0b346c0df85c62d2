import { Router, type Request } from 'express';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { parseInput } from '../../platform/http.js';
import {
  assertBucketName,
  type ObjectStore,
  type BucketInfo,
} from '../../platform/ports/object-store.js';
import {
  browseFolder,
  DEFAULT_BROWSE_LIMITS,
  normalizeBrowsePath,
  type BrowseLimits,
} from './browse.js';

/** BUCKET.NOT_FOUND in the predecessor API's wording. */
export function bucketNotFoundDetail(bucket: string): AppError {
  return new AppError('BUCKET.NOT_FOUND', 'not_found', `Bucket ${bucket} not found`);
}

/** PROJECT.NOT_FOUND: a project this deployment is not configured for. */
export function projectNotFound(projectId: string): AppError {
  return new AppError('PROJECT.NOT_FOUND', 'not_found', `Project ${projectId} not found`);
}

/** BUCKET.RETENTION_UNSUPPORTED: the object store port cannot set a retention policy yet. */
export function retentionUnsupported(): AppError {
  const message =
    'retention: bucket retention policies are not supported yet; send null or leave it out';
  return new AppError('BUCKET.RETENTION_UNSUPPORTED', 'invalid', message);
}

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

/**
 * Throws BUCKET.NOT_FOUND ("Bucket X not found") unless the bucket exists. A name outside
 * Cloud Storage's rules fails first with BUCKET.INVALID_NAME naming the rule, whatever the
 * store would have answered for it.
 */
export async function requireBucket(store: ObjectStore, bucket: string): Promise<void> {
  assertBucketName(bucket);
  if (!(await store.bucketExists(bucket))) throw bucketNotFoundDetail(bucket);
}

/** A Google Cloud project the API offers, as `GET /api/gcp/projects` lists it. */
export interface GcpProject {
  projectId: string;
  displayName: string;
}

/** What the GCP routes need. */
export interface GcpRoutesDeps {
  /** The store of the deployment's project; every listed project shares it. */
  objectStore: ObjectStore;
  /**
   * The projects to offer, from configuration (locally: the configured project). Looking
   * projects up in Resource Manager, as the predecessor tried to, is out of scope.
   */
  projects: readonly GcpProject[];
  /** Caps on one browse response; DEFAULT_BROWSE_LIMITS fills what is left out. */
  browse?: Partial<BrowseLimits>;
}

/**
 * The predecessor's `/api/gcp/*` routes: projects, their buckets, one-level browsing, bucket
 * name availability and creation. `check/:name` is registered before `:bucket/browse`, so
 * `/api/gcp/buckets/check/browse` checks the name "browse"; a bucket named "check" can still
 * be browsed below its top (`/api/gcp/buckets/check/browse/<path>`).
 */
export function gcpRoutes(deps: GcpRoutesDeps): Router {
  const limits = { ...DEFAULT_BROWSE_LIMITS, ...deps.browse };
  const store = deps.objectStore;
  return Router()
    .get('/api/gcp/projects', (_req, res) => {
      res.json({ projects: deps.projects.map(projectItem) });
    })
    .get('/api/gcp/projects/:projectId/buckets', async (req, res) => {
      requireProject(deps.projects, parseInput(projectParams, req.params, 'path').projectId);
      res.json({ buckets: (await store.listBuckets()).map(bucketItem) });
    })
    .get('/api/gcp/buckets/check/:name', async (req, res) => {
      const { name } = parseInput(checkParams, req.params, 'path');
      assertBucketName(name);
      res.json({ available: !(await store.bucketExists(name)), bucketName: name });
    })
    .post('/api/gcp/buckets/create', async (req, res) => {
      const body = parseInput(createBucketBody, req.body, 'request body');
      requireProject(deps.projects, body.projectId);
      res.json(await createBucket(store, body));
    })
    .get(BROWSE_PATHS, async (req, res) => {
      const { bucket, path } = browseRequest(req);
      await requireBucket(store, bucket);
      res.json(await browseFolder(store, bucket, path, limits));
    });
}

const BROWSE_PATHS = ['/api/gcp/buckets/:bucket/browse', '/api/gcp/buckets/:bucket/browse/*path'];

function projectItem({ projectId, displayName }: GcpProject): GcpProject {
  return { projectId, displayName };
}

function bucketItem({ name, location, storageClass }: BucketInfo): BucketInfo {
  return { name, location, storageClass };
}

function requireProject(projects: readonly GcpProject[], projectId: string): void {
  if (!projects.some((project) => project.projectId === projectId)) {
    throw projectNotFound(projectId);
  }
}

function browseRequest(req: Request): { bucket: string; path: string } {
  const params = parseInput(browseParams, req.params, 'path');
  return { bucket: params.bucket, path: normalizeBrowsePath(params.path.join('/')) };
}

/** Creates the bucket; retention policies cannot be set through the store port yet. */
async function createBucket(
  store: ObjectStore,
  body: CreateBucketBody,
): Promise<{ created: true; bucketName: string; location: string }> {
  if (body.retention !== null) throw retentionUnsupported();
  assertBucketName(body.bucketName);
  const bucket = await store.createBucket(body.bucketName, {
    location: body.location,
    storageClass: body.storageClass,
  });
  return { created: true, bucketName: bucket.name, location: bucket.location };
}

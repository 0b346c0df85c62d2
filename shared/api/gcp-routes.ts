import { Router, type Request } from 'express';
import { parseInput } from '../http/validate.js';
import { assertBucketName } from '../storage/bucket-name.js';
import type { BucketInfo, ObjectStore } from '../storage/object-store.js';
import { requireBucket } from './gcp-bucket.js';
import {
  browseFolder,
  DEFAULT_BROWSE_LIMITS,
  normalizeBrowsePath,
  type BrowseLimits,
} from './gcp-browse.js';
import { projectNotFound, retentionUnsupported } from './gcp-errors.js';
import {
  browseParams,
  checkParams,
  createBucketBody,
  projectParams,
  type CreateBucketBody,
} from './gcp-schemas.js';

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

import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member/index.js';
import { StorageBucketObject } from '@cdktf/provider-google/lib/storage-bucket-object/index.js';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket/index.js';
import { Construct } from 'constructs';
import type { SourceArchive } from '../bundling/archives.js';
import type { StackOptions } from '../options.js';
import type { Identities } from './iam.js';

/**
 * Bucket metadata (storage.buckets.get) without object access: the pipeline API checks that a
 * job's source and target buckets exist. A predefined role, since a project's custom role
 * cannot be granted on a bucket in another project (where purchased data usually is).
 */
export const BUCKET_METADATA_ROLE = 'roles/storage.legacyBucketReader';

/** Who may read or write which bucket: function or account key → bucket roles. */
export const BUCKET_ACCESS = {
  // The workflow's callbacks compose the parts into shards and delete them (finalize).
  target: {
    decompress: ['roles/storage.objectUser'],
    'pipeline-api': ['roles/storage.objectUser'],
    'pipeline-workflow': ['roles/storage.objectUser'],
  },
  // Existing buckets, possibly in other projects: the in-project metadata role (iam.ts) may
  // not reach them.
  extraTarget: {
    decompress: ['roles/storage.objectUser'],
    'pipeline-api': ['roles/storage.objectUser', BUCKET_METADATA_ROLE],
    'pipeline-workflow': ['roles/storage.objectUser'],
  },
  recorder: {
    'recorder-poll': ['roles/storage.objectUser'],
    'recorder-api': ['roles/storage.objectUser'],
    feed: ['roles/storage.objectViewer'],
  },
  // The user's own data: read, never write. The pipeline API lists and checks the bucket; the
  // decompress function reads the objects.
  source: {
    decompress: ['roles/storage.objectViewer'],
    'pipeline-api': ['roles/storage.objectViewer', BUCKET_METADATA_ROLE],
  },
} as const satisfies Record<string, Record<string, readonly string[]>>;

/**
 * The stack's buckets (job output, recorder data, function sources), their lifecycle rules,
 * the uploaded function archives, and bucket-level access for each function, on the stack's
 * buckets and on the user's source and extra target buckets (wherever they are: the deploying
 * account must be allowed to set their IAM policy, or their owner adds the same grants).
 */
export class Storage extends Construct {
  /** Object name of each function's source archive in the sources bucket. */
  readonly sourceObject: Record<string, string> = {};
  readonly sourcesBucket: string;

  constructor(
    scope: Construct,
    id: string,
    options: StackOptions,
    identities: Identities,
    archives: Record<string, SourceArchive>,
  ) {
    super(scope, id);
    const common = {
      project: options.project,
      location: options.region,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
    };
    const target = new StorageBucket(this, 'target', {
      ...common,
      name: options.targetBucket,
      lifecycleRule: [
        // A job's intermediate per-file output; finalize composes it into shards, so anything
        // left behind (a failed or cancelled job) is garbage after a while.
        {
          action: { type: 'Delete' },
          condition: { age: options.partsRetentionDays, matchesPrefix: ['_parts/'] },
        },
        { action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 1 } },
      ],
    });
    const recorder = new StorageBucket(this, 'recorder', {
      ...common,
      name: options.recorderBucket,
      lifecycleRule: [
        // Recorded days are read rarely after the day ends: colder storage after 30 days.
        { action: { type: 'SetStorageClass', storageClass: 'NEARLINE' }, condition: { age: 30 } },
      ],
    });
    const sources = new StorageBucket(this, 'sources', {
      ...common,
      name: options.sourcesBucket,
      // Versioned, so a deployment can be rolled back to the archive it replaced; old
      // versions go after 30 days, keeping at most three.
      versioning: { enabled: true },
      lifecycleRule: [
        { action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: 30 } },
        { action: { type: 'Delete' }, condition: { numNewerVersions: 3 } },
      ],
    });
    this.sourcesBucket = sources.name;
    this.#grant('target', target.name, BUCKET_ACCESS.target, identities);
    for (const [i, bucket] of options.extraTargetBuckets.entries()) {
      this.#grant(`extra-target-${i}`, bucket, BUCKET_ACCESS.extraTarget, identities);
    }
    this.#grant('recorder', recorder.name, BUCKET_ACCESS.recorder, identities);
    for (const [i, bucket] of options.sourceBuckets.entries()) {
      this.#grant(`source-${i}`, bucket, BUCKET_ACCESS.source, identities);
    }
    for (const [name, archive] of Object.entries(archives)) {
      const object = new StorageBucketObject(this, `source-${name}`, {
        bucket: sources.name,
        // Named by content: a changed bundle is a new object, which redeploys the function.
        name: `functions/${name}-${archive.sha256.slice(0, 16)}.zip`,
        source: archive.path,
        contentType: 'application/zip',
      });
      this.sourceObject[name] = object.name;
    }
  }

  #grant(
    id: string,
    bucket: string,
    access: Record<string, readonly string[]>,
    identities: Identities,
  ): void {
    for (const [who, roles] of Object.entries(access)) {
      for (const role of roles) {
        const suffix = role === BUCKET_METADATA_ROLE ? '-metadata' : '';
        new StorageBucketIamMember(this, `${id}-${who}${suffix}`, {
          bucket,
          role,
          member: identities.member(who),
        });
      }
    }
  }
}

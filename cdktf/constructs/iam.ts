import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project/index.js';
import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role/index.js';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member/index.js';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
import { Construct } from 'constructs';
import { RECORDER_SECRET_PREFIX } from '../names.js';

/** A custom role, and the condition its grant carries if any. */
interface CustomGrant {
  name: string;
  condition?: { title: string; description: string; expression: string };
}

/** The identities that are not functions. */
export const OTHER_ACCOUNTS = {
  workflow: 'chimera-workflow',
  scheduler: 'chimera-scheduler',
  /** Pub/Sub pushes to the decompress function as this account. */
  push: 'chimera-push',
  /** Eventarc delivers Firestore events to job-status as this account. */
  events: 'chimera-events',
  /** Cloud Build builds the function images as this account. */
  build: 'chimera-build',
} as const;

/**
 * Project-wide roles each function needs; everything narrower (one bucket, one topic, one
 * secret, one service) is granted on that resource by the construct that owns it. Firestore
 * has no per-collection IAM, so datastore.user is project-wide for the functions using it.
 */
const PROJECT_ROLES: Record<string, readonly string[]> = {
  'pipeline-api': ['roles/datastore.user', 'roles/workflows.invoker', 'bucketMetadata'],
  // Runs the warehouse's load and query jobs; its data rights are on the dataset alone.
  'pipeline-workflow': ['roles/datastore.user', 'roles/bigquery.jobUser'],
  decompress: ['roles/datastore.user'],
  'job-status': ['roles/datastore.user'],
  'recorder-api': ['roles/datastore.user', 'secretCreator'],
  'recorder-poll': ['roles/datastore.user'],
  feed: [],
  workflow: ['roles/logging.logWriter'],
  events: ['roles/eventarc.eventReceiver'],
  // Cloud Run Builder, the role Google documents for a function's build account: it fetches
  // the source (storage.objects.get, from the gcf-v2-sources-<number>-<region> bucket the
  // deployment copies it to, which exists only after the first deploy, so no bucket-level
  // grant can name it), pushes the image to Artifact Registry and writes the build log.
  build: ['roles/run.builder'],
};

/** One service account per function and per other actor, with its project-wide roles. */
export class Identities extends Construct {
  /** Service account email by function name or OTHER_ACCOUNTS key. */
  readonly email: Record<string, string> = {};
  /** `projects/P/serviceAccounts/EMAIL` by the same keys, for bindings on an account. */
  readonly accountName: Record<string, string> = {};
  /** Each account's project-wide grants, by the same keys. */
  readonly projectGrants: Record<string, ProjectIamMember[]> = {};
  readonly project: DataGoogleProject;

  constructor(scope: Construct, id: string, project: string, functions: readonly string[]) {
    super(scope, id);
    this.project = new DataGoogleProject(this, 'project', { projectId: project });
    const custom = this.#customRoles(project);
    const accounts: [string, string][] = [
      ...functions.map((name): [string, string] => [name, `chimera-fn-${name}`]),
      ...Object.entries(OTHER_ACCOUNTS),
    ];
    for (const [key, accountId] of accounts) {
      const account = new ServiceAccount(this, `sa-${key}`, {
        project,
        accountId,
        displayName: `CHIMERA ${key}`,
      });
      this.email[key] = account.email;
      this.accountName[key] = account.name;
      this.projectGrants[key] = (PROJECT_ROLES[key] ?? []).map(
        (role) =>
          new ProjectIamMember(this, `${key}-${role.replace(/\W/g, '-')}`, {
            project,
            role: custom[role]?.name ?? role,
            member: `serviceAccount:${account.email}`,
            condition: custom[role]?.condition,
          }),
      );
    }
  }

  /** Every project-wide grant of every account. */
  get allProjectGrants(): ProjectIamMember[] {
    return Object.values(this.projectGrants).flat();
  }

  /** Member string for one of the accounts. */
  member(key: string): string {
    const email = this.email[key];
    if (!email) throw new Error(`No service account for ${key}`);
    return `serviceAccount:${email}`;
  }

  #customRoles(project: string): Record<string, CustomGrant> {
    // Bucket metadata only (no object data): the pipeline API lists the project's buckets
    // and checks that source and target buckets exist.
    const metadata = new ProjectIamCustomRole(this, 'bucket-metadata', {
      project,
      roleId: 'chimeraBucketMetadata',
      title: 'CHIMERA bucket metadata reader',
      permissions: ['storage.buckets.get', 'storage.buckets.list'],
    });
    // The secret store creates a recorder secret only when adding a version finds none (the
    // stack creates both, so normally never). The grant is limited by an IAM condition to
    // secrets named like the recorder's; creating a secret gives no access to another's value.
    const creator = new ProjectIamCustomRole(this, 'secret-creator', {
      project,
      roleId: 'chimeraSecretCreator',
      title: 'CHIMERA secret creator',
      permissions: ['secretmanager.secrets.create'],
    });
    const secrets = `projects/${this.project.number}/secrets/${RECORDER_SECRET_PREFIX}`;
    return {
      bucketMetadata: { name: metadata.name },
      secretCreator: {
        name: creator.name,
        condition: {
          title: 'recorder secrets only',
          description: `Secrets whose id starts with ${RECORDER_SECRET_PREFIX}`,
          expression: `resource.name.startsWith("${secrets}")`,
        },
      },
    };
  }
}

import { FirestoreDatabase } from '@cdktf/provider-google/lib/firestore-database/index.js';
import { FirestoreField } from '@cdktf/provider-google/lib/firestore-field/index.js';
import { FirestoreIndex } from '@cdktf/provider-google/lib/firestore-index/index.js';
import { Construct } from 'constructs';
import { FILES_SUBCOLLECTION, JOBS_COLLECTION } from '../../shared/pipeline/job-model.js';

/** The recount claims' subcollection (shared/pipeline/firestore/progress-store.ts). */
export const RECOUNTS_SUBCOLLECTION = 'recounts';
/** The field those claims carry for a TTL policy. */
export const RECOUNT_EXPIRY_FIELD = 'expireAt';
/** The succeeded files' counts that job totals sum (shared/pipeline/firestore/progress-store.ts). */
export const SUMMED_FILE_FIELDS = ['bytesIn', 'bytesOut', 'lines', 'quarantinedLines'] as const;

/**
 * The Firestore database (native mode) and the indexes the queries need. Queries on one field
 * (`dataflow-jobs` by `createdAt` desc, `logs` by `time` desc, counts by `state`) use the
 * automatic single-field indexes; these composite ones cover the rest.
 */
export class Documents extends Construct {
  readonly database: FirestoreDatabase;

  constructor(
    scope: Construct,
    id: string,
    project: string,
    location: string,
    options: { adopt: boolean } = { adopt: false },
  ) {
    super(scope, id);
    this.database = new FirestoreDatabase(this, 'database', {
      project,
      name: '(default)',
      locationId: location,
      type: 'FIRESTORE_NATIVE',
      concurrencyMode: 'OPTIMISTIC',
      // Job history outlives a `terraform destroy` unless it is deleted on purpose.
      deletionPolicy: 'ABANDON',
    });
    // A project has one `(default)` database, and it may exist already (made in the console, or
    // by an earlier deployment whose state is gone): Terraform then imports it (an `import`
    // block, Terraform 1.5+) instead of failing to create it. Its location and type must match.
    if (options.adopt) this.database.importFrom(`projects/${project}/databases/(default)`);
    const files = { project, database: this.database.name, collection: FILES_SUBCOLLECTION };
    // A job's files in one state, in plan order (failure reports, cancel, finalize).
    new FirestoreIndex(this, 'files-state-index', {
      ...files,
      fields: [
        { fieldPath: 'state', order: 'ASCENDING' },
        { fieldPath: 'index', order: 'ASCENDING' },
      ],
    });
    // Sums over one state's files (job totals) read the filter field and the summed field
    // together, which needs a composite index for each summed field.
    for (const field of SUMMED_FILE_FIELDS) {
      new FirestoreIndex(this, `files-state-${field}`, {
        ...files,
        fields: [
          { fieldPath: 'state', order: 'ASCENDING' },
          { fieldPath: field, order: 'ASCENDING' },
        ],
      });
    }
    // Job history by status or process type, newest first; with both, Firestore merges these.
    for (const field of ['status', 'processType']) {
      new FirestoreIndex(this, `jobs-${field}-index`, {
        project,
        database: this.database.name,
        collection: JOBS_COLLECTION,
        fields: [
          { fieldPath: field, order: 'ASCENDING' },
          { fieldPath: 'createdAt', order: 'DESCENDING' },
        ],
      });
    }
    // Recount claims are only needed for a few seconds; Firestore deletes them once expired.
    new FirestoreField(this, 'recounts-ttl', {
      project,
      database: this.database.name,
      collection: RECOUNTS_SUBCOLLECTION,
      field: RECOUNT_EXPIRY_FIELD,
      ttlConfig: {},
      // No single-field index on a timestamp that only TTL reads: cheaper writes.
      indexConfig: {},
    });
  }
}

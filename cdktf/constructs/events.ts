import type { Cloudfunctions2Function } from '@cdktf/provider-google/lib/cloudfunctions2-function/index.js';
import { EventarcTrigger } from '@cdktf/provider-google/lib/eventarc-trigger/index.js';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

/** What the Firestore trigger needs. */
export interface FirestoreTriggerProps {
  project: string;
  /** The database's location: Firestore triggers live where the database does. */
  location: string;
  database: string;
  /** Document path pattern from deployedFunctions, e.g. `dataflow-jobs/{jobId}/files/{fileId}`. */
  document: string;
  target: Cloudfunctions2Function;
  serviceAccountEmail: string;
  dependsOn: ITerraformDependable[];
}

/**
 * The Eventarc trigger delivering every write of a matching document to job-status as a
 * `google.cloud.firestore.document.v1.written` CloudEvent with JSON data: declared on its own
 * because the function resource cannot ask for `application/json` event data.
 */
export class FirestoreTrigger extends Construct {
  constructor(scope: Construct, id: string, props: FirestoreTriggerProps) {
    super(scope, id);
    new EventarcTrigger(this, 'trigger', {
      project: props.project,
      location: props.location,
      name: `${props.target.name}-written`,
      matchingCriteria: [
        { attribute: 'type', value: 'google.cloud.firestore.document.v1.written' },
        { attribute: 'database', value: props.database },
        { attribute: 'document', value: props.document, operator: 'match-path-pattern' },
      ],
      eventDataContentType: 'application/json',
      destination: {
        cloudRunService: {
          service: props.target.serviceConfig.service,
          region: props.target.location,
        },
      },
      serviceAccount: props.serviceAccountEmail,
      dependsOn: props.dependsOn,
    });
  }
}

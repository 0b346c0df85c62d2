import type { Cloudfunctions2Function } from '@cdktf/provider-google/lib/cloudfunctions2-function/index.js';
import { EventarcTrigger } from '@cdktf/provider-google/lib/eventarc-trigger/index.js';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member/index.js';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { DocumentEventKind } from '../../shared/platform/functions.js';
import type { ServiceAgents } from './service-agents.js';

/** What the Firestore trigger needs. */
export interface FirestoreTriggerProps {
  project: string;
  /** The database's location: Firestore triggers live where the database does. */
  location: string;
  database: string;
  /** Document path pattern from deployedFunctions, e.g. `dataflow-jobs/{jobId}/orders/{orderId}`. */
  document: string;
  /** Which changes of those documents are delivered (deployedFunctions says). */
  event: DocumentEventKind;
  target: Cloudfunctions2Function;
  /** The account Eventarc delivers as (`projects/P/serviceAccounts/EMAIL`, and its email). */
  serviceAccount: { name: string; email: string };
  agents: ServiceAgents;
  /**
   * What must be in place first: the account's eventarc.eventReceiver grant, its run.invoker
   * grant on the target, and the wait for IAM to propagate.
   */
  dependsOn: ITerraformDependable[];
}

/**
 * The Eventarc trigger delivering the changes of a matching document to its function as
 * `google.cloud.firestore.document.v1.<event>` CloudEvents with JSON data: declared on its own
 * because the function resource cannot ask for `application/json` event data.
 */
export class FirestoreTrigger extends Construct {
  readonly trigger: EventarcTrigger;

  constructor(scope: Construct, id: string, props: FirestoreTriggerProps) {
    super(scope, id);
    // Eventarc delivers through a Pub/Sub push subscription whose OIDC token the Pub/Sub agent
    // mints as the trigger's account (needed explicitly in projects from before April 2021).
    const signs = new ServiceAccountIamMember(this, 'agent-signs-events', {
      serviceAccountId: props.serviceAccount.name,
      role: 'roles/iam.serviceAccountTokenCreator',
      member: props.agents.member('pubsub'),
      dependsOn: [props.agents.identity.pubsub],
    });
    this.trigger = new EventarcTrigger(this, 'trigger', {
      project: props.project,
      location: props.location,
      name: `${props.target.name}-${props.event}`,
      matchingCriteria: [
        { attribute: 'type', value: `google.cloud.firestore.document.v1.${props.event}` },
        { attribute: 'database', value: props.database },
        { attribute: 'document', value: props.document, operator: 'match-path-pattern' },
      ],
      eventDataContentType: 'application/json',
      destination: {
        // The Cloud Run service by name (a 2nd-gen function's service has its name), not by
        // its full resource path.
        cloudRunService: { service: props.target.name, region: props.target.location },
      },
      serviceAccount: props.serviceAccount.email,
      dependsOn: [...props.dependsOn, ...props.agents.eventarcReady, signs],
    });
  }
}

import { PubsubSubscriptionIamMember } from '@cdktf/provider-google/lib/pubsub-subscription-iam-member/index.js';
import { PubsubSubscription } from '@cdktf/provider-google/lib/pubsub-subscription/index.js';
import { PubsubTopicIamMember } from '@cdktf/provider-google/lib/pubsub-topic-iam-member/index.js';
import { PubsubTopic } from '@cdktf/provider-google/lib/pubsub-topic/index.js';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member/index.js';
import { Construct } from 'constructs';
import type { ResourceNames } from '../names.js';
import { DEAD_LETTER_AFTER_ATTEMPTS, DECOMPRESS_ACK_DEADLINE_SECONDS } from '../sizing.js';
import type { Identities } from './iam.js';
import type { ServiceAgents } from './service-agents.js';

/** Where the decompress function listens. */
export interface PushTarget {
  /** The function's Cloud Run URL, the OIDC audience. */
  uri: string;
}

const WEEK = '604800s';

/**
 * The fan-out topic and its delivery to the decompress function: a push subscription of our
 * own (an Eventarc trigger cannot carry a dead-letter policy) with OIDC, exponential retry,
 * and a dead-letter topic after DEAD_LETTER_AFTER_ATTEMPTS deliveries. A pull subscription
 * holds dead letters for a week, for a person to inspect and re-drive (see the README).
 */
export class Messaging extends Construct {
  readonly topic: PubsubTopic;
  readonly deadLetterTopic: PubsubTopic;
  readonly subscription: PubsubSubscription;

  constructor(
    scope: Construct,
    id: string,
    project: string,
    names: ResourceNames,
    identities: Identities,
    agents: ServiceAgents,
    target: PushTarget,
  ) {
    super(scope, id);
    this.topic = new PubsubTopic(this, 'decompress', { project, name: names.decompressTopic });
    this.deadLetterTopic = new PubsubTopic(this, 'dead-letter', {
      project,
      name: names.deadLetterTopic,
    });
    this.subscription = new PubsubSubscription(this, 'push', {
      project,
      name: names.decompressSubscription,
      topic: this.topic.id,
      ackDeadlineSeconds: DECOMPRESS_ACK_DEADLINE_SECONDS,
      messageRetentionDuration: WEEK,
      // functions-framework turns a raw push envelope POSTed to this path into the same
      // messagePublished CloudEvent that an Eventarc trigger would deliver.
      pushConfig: {
        pushEndpoint: `${target.uri}/projects/${project}/topics/${names.decompressTopic}`,
        oidcToken: { serviceAccountEmail: identities.email.push ?? '', audience: target.uri },
      },
      retryPolicy: { minimumBackoff: '10s', maximumBackoff: '600s' },
      deadLetterPolicy: {
        deadLetterTopic: this.deadLetterTopic.id,
        maxDeliveryAttempts: DEAD_LETTER_AFTER_ATTEMPTS,
      },
      expirationPolicy: { ttl: '' },
    });
    new PubsubSubscription(this, 'dead-letter-hold', {
      project,
      name: names.deadLetterSubscription,
      topic: this.deadLetterTopic.id,
      ackDeadlineSeconds: 60,
      messageRetentionDuration: WEEK,
      retainAckedMessages: true, // so `gcloud pubsub subscriptions seek` can replay them
      expirationPolicy: { ttl: '' },
    });
    this.#grantServiceAgent(identities, agents);
    new PubsubTopicIamMember(this, 'workflow-publishes', {
      project,
      topic: this.topic.name,
      role: 'roles/pubsub.publisher',
      member: identities.member('workflow'),
    });
  }

  /**
   * Dead-lettering needs the Pub/Sub agent to publish to the dead-letter topic and ack the
   * source; every grant waits for the agent to exist.
   */
  #grantServiceAgent(identities: Identities, agents: ServiceAgents): void {
    const member = agents.member('pubsub');
    const dependsOn = [agents.identity.pubsub];
    new PubsubTopicIamMember(this, 'agent-dead-letters', {
      topic: this.deadLetterTopic.id,
      role: 'roles/pubsub.publisher',
      member,
      dependsOn,
    });
    new PubsubSubscriptionIamMember(this, 'agent-acks', {
      subscription: this.subscription.id,
      role: 'roles/pubsub.subscriber',
      member,
      dependsOn,
    });
    // The agent mints the push's OIDC token as the push account. Projects created after
    // 8 April 2021 let it do so anyway; older ones need this grant (see the README).
    new ServiceAccountIamMember(this, 'agent-signs-push', {
      serviceAccountId: identities.accountName.push ?? '',
      role: 'roles/iam.serviceAccountTokenCreator',
      member,
      dependsOn,
    });
  }
}

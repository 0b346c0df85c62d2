import type { CloudEvent } from '../delivery/cloud-event.js';

/** The CloudEvent type Eventarc uses for a message published to a topic. */
export const MESSAGE_PUBLISHED_TYPE = 'google.cloud.pubsub.topic.v1.messagePublished';

/** A message as the bus stored it at publish time. */
export interface PublishedMessage {
  /** The payload, base64 as on the wire; empty for an attributes-only message. */
  data: string;
  attributes: Record<string, string>;
  messageId: string;
  publishTime: string;
  orderingKey?: string;
}

/**
 * `MessagePublishedData` in the JSON form Eventarc delivers. The message carries its id and
 * publish time in both camelCase and snake_case, as the real events do.
 */
export interface MessagePublishedData {
  message: {
    data?: string;
    attributes?: Record<string, string>;
    messageId: string;
    message_id: string;
    publishTime: string;
    publish_time: string;
    orderingKey?: string;
  };
  subscription: string;
  deliveryAttempt: number;
}

/** Where a message is pushed: names as in Pub/Sub, plus the push endpoint. */
export interface PushTarget {
  projectId: string;
  topic: string;
  subscription: string;
}

/**
 * The event one push subscription receives for one message on one attempt. The event id is
 * the message id, so a redelivery carries the same id and a consumer can deduplicate on it.
 */
export function messagePublishedEvent(
  target: PushTarget,
  message: PublishedMessage,
  attempt: number,
): CloudEvent<MessagePublishedData> {
  return {
    specversion: '1.0',
    id: message.messageId,
    source: `//pubsub.googleapis.com/projects/${target.projectId}/topics/${target.topic}`,
    type: MESSAGE_PUBLISHED_TYPE,
    time: message.publishTime,
    datacontenttype: 'application/json',
    data: {
      message: {
        ...(message.data ? { data: message.data } : {}),
        ...(Object.keys(message.attributes).length > 0 ? { attributes: message.attributes } : {}),
        messageId: message.messageId,
        message_id: message.messageId,
        publishTime: message.publishTime,
        publish_time: message.publishTime,
        ...(message.orderingKey ? { orderingKey: message.orderingKey } : {}),
      },
      subscription: `projects/${target.projectId}/subscriptions/${target.subscription}`,
      deliveryAttempt: attempt,
    },
  };
}

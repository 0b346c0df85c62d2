import express from 'express';
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { parseInput } from '../../platform/http.js';
import type { OutgoingMessage, Publisher } from '../../platform/ports/publisher.js';
import type { DeliveryQueue } from './delivery-queue.js';
import type { CloudEvent } from './http-delivery.js';

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

/** A push subscription: Pub/Sub's subscription name and the function URL it pushes to. */
export interface PushSubscription {
  name: string;
  url: string;
}

/** A topic and its subscriptions, for listings. */
export interface TopicInfo {
  name: string;
  subscriptions: PushSubscription[];
}

/** What the bus needs; `now` is injectable so publish times are predictable in tests. */
export interface LocalPubSubOptions {
  projectId: string;
  queue: DeliveryQueue;
  now?: () => Date;
}

/**
 * The embedded Pub/Sub: topics with push subscriptions, each published message delivered to
 * every subscription as an Eventarc `messagePublished` CloudEvent through the delivery queue
 * (at-least-once: retried, dead-lettered, and delivered again if published again).
 */
export class LocalPubSub implements Publisher {
  private readonly topics = new Map<string, PushSubscription[]>();
  private sequence = 0;

  constructor(private readonly options: LocalPubSubOptions) {}

  /** The project whose topics this bus holds. */
  get projectId(): string {
    return this.options.projectId;
  }

  /** Creates a topic; creating one that exists is harmless. */
  createTopic(topic: string): void {
    const name = this.topicId(topic);
    if (!this.topics.has(name)) this.topics.set(name, []);
  }

  /** Adds a push subscription to a topic, creating the topic if needed. */
  subscribe(topic: string, subscription: PushSubscription): void {
    this.createTopic(topic);
    const taken = [...this.topics.values()].flat().some((s) => s.name === subscription.name);
    if (taken) {
      throw new AppError(
        'SUBSCRIPTION.EXISTS',
        'conflict',
        `Subscription ${subscription.name} already exists`,
      );
    }
    this.topics.get(this.topicId(topic))?.push({ ...subscription });
  }

  /** Whether a topic exists, by short name or full resource name. */
  hasTopic(topic: string): boolean {
    return this.topics.has(this.topicId(topic));
  }

  /** Every topic and its subscriptions. */
  listTopics(): TopicInfo[] {
    return [...this.topics].map(([name, subscriptions]) => ({
      name,
      subscriptions: subscriptions.map((s) => ({ ...s })),
    }));
  }

  /** Assigns ids and publish times and queues one delivery per subscription per message. */
  publish(topic: string, messages: OutgoingMessage[]): Promise<string[]> {
    return new Promise((resolve) => resolve(this.publishNow(topic, messages)));
  }

  private publishNow(topic: string, messages: OutgoingMessage[]): string[] {
    const name = this.topicId(topic);
    const subscriptions = this.topics.get(name);
    if (!subscriptions) {
      throw new AppError('TOPIC.NOT_FOUND', 'not_found', `Topic ${name} does not exist`);
    }
    messages.forEach(assertNotEmpty);
    const published = messages.map((message) => this.stamp(message));
    for (const message of published) {
      for (const subscription of subscriptions) this.push(name, subscription, message);
    }
    return published.map((message) => message.messageId);
  }

  private stamp(message: OutgoingMessage): PublishedMessage {
    this.sequence += 1;
    return {
      data: message.data.toString('base64'),
      attributes: { ...message.attributes },
      messageId: String(this.sequence),
      publishTime: (this.options.now?.() ?? new Date()).toISOString(),
      orderingKey: message.orderingKey || undefined,
    };
  }

  private push(topic: string, subscription: PushSubscription, message: PublishedMessage): void {
    const target = { projectId: this.projectId, topic, subscription: subscription.name };
    this.options.queue.enqueue({
      name: `projects/${this.projectId}/subscriptions/${subscription.name}`,
      url: subscription.url,
      event: (attempt) => messagePublishedEvent(target, message, attempt),
    });
  }

  /** Accepts `T` or `projects/P/topics/T`; another project's topic is simply not found. */
  private topicId(topic: string): string {
    const prefix = `projects/${this.projectId}/topics/`;
    return topic.startsWith(prefix) ? topic.slice(prefix.length) : topic;
  }
}

/** Pub/Sub rejects a message with neither data nor attributes. */
function assertNotEmpty(message: OutgoingMessage, index: number): void {
  if (message.data.length > 0 || Object.keys(message.attributes ?? {}).length > 0) return;
  throw new AppError(
    'MESSAGE.EMPTY',
    'invalid',
    `messages.${index}: a message needs data or at least one attribute`,
  );
}

/** Pub/Sub accepts 10 MB a publish request; base64 makes the JSON about a third bigger. */
const BODY_LIMIT = '14mb';

const publishBody = z.object({
  messages: z
    .array(
      z.object({
        data: z.base64().optional(),
        attributes: z.record(z.string(), z.string()).optional(),
        orderingKey: z.string().optional(),
      }),
    )
    .min(1)
    .max(1000),
});

const redriveBody = z.object({ ids: z.array(z.string().min(1)).optional() });

/**
 * The bus over HTTP: Pub/Sub's REST publish (`POST /v1/projects/P/topics/T:publish` →
 * `{messageIds}`) and the local dead-letter list (`GET /v1/local/deadletters`,
 * `POST /v1/local/deadletters:redrive` with `{}` for all or `{ids}`). Errors are thrown as
 * AppErrors for the app's `errorResponder` to answer (400 bad body, 404 unknown topic).
 */
export function busApi(bus: LocalPubSub, queue: DeliveryQueue): Router {
  const router = Router();
  const json = express.json({ limit: BODY_LIMIT });

  router.post('/v1/projects/:project/topics/:topicAction', json, async (req, res, next) => {
    const { project, topicAction } = req.params;
    if (!topicAction.endsWith(':publish')) return next();
    const body = parseInput(publishBody, req.body ?? {}, 'publish request');
    const topic = `projects/${project}/topics/${topicAction.slice(0, -':publish'.length)}`;
    const messages = body.messages.map((message) => ({
      data: Buffer.from(message.data ?? '', 'base64'),
      attributes: message.attributes,
      orderingKey: message.orderingKey,
    }));
    res.json({ messageIds: await bus.publish(topic, messages) });
  });

  router.get('/v1/local/deadletters', (_req, res) => {
    res.json({ deadLetters: queue.deadLetters() });
  });

  router.post('/v1/local/deadletters\\:redrive', json, (req, res) => {
    const body = parseInput(redriveBody, req.body ?? {}, 'redrive request');
    res.json({ redriven: queue.redrive(body.ids) });
  });

  router.get('/v1/local/deliveries', (_req, res) => {
    res.json({ stats: queue.stats(), pending: queue.pending() });
  });

  return router;
}

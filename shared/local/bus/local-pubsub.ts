import { AppError } from '../../errors/app-error.js';
import type { OutgoingMessage, Publisher } from '../../messaging/publisher.js';
import type { DeliveryQueue } from '../delivery/delivery-queue.js';
import { messagePublishedEvent, type PublishedMessage } from './message-published-event.js';

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

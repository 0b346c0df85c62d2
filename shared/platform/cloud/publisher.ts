import { PubSub, type Topic } from '@google-cloud/pubsub';
import type { OutgoingMessage, Publisher } from '../ports/publisher.js';

/** Publishes through Cloud Pub/Sub; the client batches up to 1000 messages / 10 MB a request. */
export class CloudPublisher implements Publisher {
  private readonly topics = new Map<string, Topic>();
  private readonly client: PubSub;

  constructor(projectId: string) {
    this.client = new PubSub({ projectId });
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<string[]> {
    const handle = this.topic(topic);
    return Promise.all(messages.map((message) => handle.publishMessage(message)));
  }

  private topic(name: string): Topic {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = this.client.topic(name, {
        batching: { maxMessages: 1000, maxBytes: 9 * 1024 * 1024, maxMilliseconds: 20 },
      });
      this.topics.set(name, topic);
    }
    return topic;
  }
}

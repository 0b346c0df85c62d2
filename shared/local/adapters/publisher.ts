import { z } from 'zod';
import { fetchJson } from '../../platform/http.js';
import type { OutgoingMessage, Publisher } from '../../platform/ports/publisher.js';

const publishResponse = z.object({ messageIds: z.array(z.string()) });

/**
 * Publishes through the Pub/Sub REST shape (`topics/T:publish`) served by the embedded
 * runtime, so functions in any process reach the local bus the way they reach Pub/Sub.
 */
export class HttpPublisher implements Publisher {
  constructor(
    private readonly baseUrl: string,
    private readonly projectId: string,
    /** Sent with every call: the runtime's per-run token. */
    private readonly headers: Record<string, string> = {},
  ) {}

  async publish(topic: string, messages: OutgoingMessage[]): Promise<string[]> {
    const ids: string[] = [];
    for (let start = 0; start < messages.length; start += 1000) {
      const batch = messages.slice(start, start + 1000).map((message) => ({
        data: message.data.toString('base64'),
        attributes: message.attributes,
        orderingKey: message.orderingKey,
      }));
      const url = `${this.baseUrl}/v1/projects/${this.projectId}/topics/${topic}:publish`;
      const answer = publishResponse.parse(
        await fetchJson(url, { body: { messages: batch }, headers: this.headers }),
      );
      ids.push(...answer.messageIds);
    }
    return ids;
  }
}

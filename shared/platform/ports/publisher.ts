/** One message to publish, as Pub/Sub takes it. */
export interface OutgoingMessage {
  data: Buffer;
  attributes?: Record<string, string>;
  orderingKey?: string;
}

/**
 * The publish port: Pub/Sub in the cloud, the embedded bus locally.
 * Publishing is at-least-once; consumers must be idempotent.
 */
export interface Publisher {
  /** Publishes in batches of at most 1000 messages / 10 MB; resolves to the message ids in order. */
  publish(topic: string, messages: OutgoingMessage[]): Promise<string[]>;
}

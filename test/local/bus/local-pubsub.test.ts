import { cloudEvent } from '@google-cloud/functions-framework';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPubSub, type MessagePublishedData } from '../../../shared/local/pubsub/bus.js';
import { DeliveryQueue } from '../../../shared/local/pubsub/delivery-queue.js';
import { hasCode, type ErrorCode } from '../../../shared/platform/errors.js';
import type { OutgoingMessage } from '../../../shared/platform/ports/publisher.js';
import { serveFunction, type ServedFunction } from '../delivery/serve-function.js';

interface Received {
  id: string;
  source: string;
  type: string;
  time: string;
  data: MessagePublishedData;
}

const received: Received[] = [];
/** Message texts whose handler fails this many more times, or is held past the deadline. */
const failures = new Map<string, number>();
const slow = new Set<string>();
/** Lets the held first attempts of `slow` messages finish. */
let releaseSlow = () => {};
const slowHeld = new Promise<void>((resolve) => (releaseSlow = resolve));

const textOf = (event: Received) =>
  Buffer.from(event.data.message.data ?? '', 'base64').toString('utf8');

/** What functions-framework hands the handler: a CloudEvent whose optional fields may be absent. */
type Incoming = Partial<Received> & Pick<Received, 'id' | 'source' | 'type'>;

cloudEvent('busConsumer', async (incoming: Incoming) => {
  const event = { ...incoming, time: incoming.time!, data: incoming.data! };
  received.push(event);
  const text = textOf(event);
  if (slow.has(text) && event.data.deliveryAttempt === 1) await slowHeld;
  const left = failures.get(text) ?? 0;
  if (left > 0) {
    failures.set(text, left - 1);
    throw new Error('consumer failed');
  }
});

const policy = {
  maxAttempts: 3,
  concurrency: 4,
  ackDeadlineMs: 2000,
  minBackoffMs: 1,
  maxBackoffMs: 5,
};
const publishTime = new Date('2024-01-19T12:00:00.000Z');
const eventsWith = (text: string) => received.filter((event) => textOf(event) === text);

describe('LocalPubSub', () => {
  let consumer: ServedFunction;
  let queue: DeliveryQueue;
  let bus: LocalPubSub;

  beforeAll(async () => {
    consumer = await serveFunction('busConsumer');
    queue = new DeliveryQueue({ policy });
    bus = new LocalPubSub({ projectId: 'chimera-test', queue, now: () => publishTime });
    bus.subscribe('decompress-files', { name: 'decompress-sub', url: consumer.url });
  });
  afterAll(async () => {
    await queue.close();
    await consumer.close();
  });

  it('delivers the messagePublished CloudEvent Eventarc sends', async () => {
    const [id] = await bus.publish('decompress-files', [
      {
        data: Buffer.from('hello'),
        attributes: { bucket: 'b', object: 'a/b.bz2' },
        orderingKey: 'k',
      },
    ]);
    await queue.drain();
    expect(eventsWith('hello')).toEqual([
      {
        specversion: '1.0',
        id,
        source: '//pubsub.googleapis.com/projects/chimera-test/topics/decompress-files',
        type: 'google.cloud.pubsub.topic.v1.messagePublished',
        time: '2024-01-19T12:00:00.000Z',
        datacontenttype: 'application/json',
        data: {
          message: {
            data: Buffer.from('hello').toString('base64'),
            attributes: { bucket: 'b', object: 'a/b.bz2' },
            messageId: id,
            message_id: id,
            publishTime: '2024-01-19T12:00:00.000Z',
            publish_time: '2024-01-19T12:00:00.000Z',
            orderingKey: 'k',
          },
          subscription: 'projects/chimera-test/subscriptions/decompress-sub',
          deliveryAttempt: 1,
        },
      },
    ]);
  });

  it('redelivers the same message when the handler throws', async () => {
    failures.set('flaky', 2);
    const [id] = await bus.publish('decompress-files', [{ data: Buffer.from('flaky') }]);
    await queue.drain();
    const events = eventsWith('flaky');
    expect(events.map((event) => [event.id, event.data.deliveryAttempt])).toEqual([
      [id, 1],
      [id, 2],
      [id, 3],
    ]);
  });

  it('redelivers when the handler is slower than the ack deadline', async () => {
    slow.add('slow');
    const tight = new DeliveryQueue({ policy: { ...policy, ackDeadlineMs: 200 } });
    const tightBus = new LocalPubSub({ projectId: 'chimera-test', queue: tight });
    tightBus.subscribe('slow-topic', { name: 'slow-sub', url: consumer.url });
    await tightBus.publish('slow-topic', [{ data: Buffer.from('slow') }]);
    // The first attempt is still held when the queue gives up on it and delivers again.
    await tight.drain().finally(releaseSlow);
    const attempts = eventsWith('slow').map((event) => event.data.deliveryAttempt);
    expect(attempts.slice(0, 2)).toEqual([1, 2]);
    expect(tight.stats()).toMatchObject({ pending: 0, delivered: 1, deadLettered: 0 });
  });

  it('delivers a message published twice twice, under different ids', async () => {
    const message = { data: Buffer.from('twice') };
    const first = await bus.publish('decompress-files', [message]);
    const second = await bus.publish('decompress-files', [message]);
    await queue.drain();
    expect(first).not.toEqual(second);
    expect(eventsWith('twice').map((event) => event.id)).toEqual([...first, ...second]);
  });

  it('pushes a copy to every subscription of the topic', async () => {
    bus.subscribe('fan-out', { name: 'one', url: consumer.url });
    bus.subscribe('fan-out', { name: 'two', url: consumer.url });
    await bus.publish('fan-out', [{ data: Buffer.from('copies') }]);
    await queue.drain();
    const subscriptions = eventsWith('copies').map((event) => event.data.subscription);
    expect(subscriptions.sort()).toEqual([
      'projects/chimera-test/subscriptions/one',
      'projects/chimera-test/subscriptions/two',
    ]);
  });

  it.each([
    ['an unknown topic', 'nowhere', [{ data: Buffer.from('x') }], 'TOPIC.NOT_FOUND'],
    ['an empty message', 'decompress-files', [{ data: Buffer.alloc(0) }], 'MESSAGE.EMPTY'],
  ] satisfies [string, string, OutgoingMessage[], ErrorCode][])(
    'rejects %s',
    async (_case, topic, messages, code) => {
      const error = await bus.publish(topic, messages).catch((e: unknown) => e);
      expect(hasCode(error, code)).toBe(true);
    },
  );
});

import { cloudEvent } from '@google-cloud/functions-framework';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../shared/local/firestore-emulator.js';
import {
  DeliveryQueue,
  type DeliveryPolicy,
  type DeliveryJob,
} from '../../../shared/local/pubsub/delivery-queue.js';
import type { CloudEvent } from '../../../shared/local/pubsub/http-delivery.js';
import { serveFunction, type ServedFunction } from './serve-function.js';

const policy: DeliveryPolicy = {
  maxAttempts: 3,
  concurrency: 4,
  ackDeadlineMs: 1000,
  minBackoffMs: 1,
  maxBackoffMs: 4,
};

/** What the test function should do with the next event carrying a given `key`. */
const behaviour = new Map<string, { failTimes: number; holdMs?: number }>();
const received: CloudEvent<{ key: string }>[] = [];
let active = 0;
let maxActive = 0;

cloudEvent<{ key: string }>('deliveryTarget', async (event: { data?: { key: string } }) => {
  // Only the concurrency test's events count: a timed-out handler from another test may still run.
  const counted = event.data!.key.startsWith('wide-');
  if (counted) active += 1;
  maxActive = Math.max(maxActive, active);
  try {
    received.push(event as unknown as CloudEvent<{ key: string }>);
    const rule = behaviour.get(event.data!.key);
    if (rule?.holdMs) await new Promise((resolve) => setTimeout(resolve, rule.holdMs));
    if (rule && rule.failTimes > 0) {
      rule.failTimes -= 1;
      throw new Error('handler failed');
    }
  } finally {
    if (counted) active -= 1;
  }
});

function job(url: string, key: string): DeliveryJob {
  return {
    name: 'test-subscription',
    url,
    event: (attempt) => ({
      specversion: '1.0',
      id: `event-${key}`,
      source: '//test/source',
      type: 'test.event.v1',
      time: '2024-01-19T12:00:00.000Z',
      datacontenttype: 'application/json',
      data: { key, attempt },
    }),
  };
}

const eventsFor = (key: string) => received.filter((event) => event.data.key === key);

describe('DeliveryQueue over real HTTP', () => {
  let target: ServedFunction;

  beforeAll(async () => {
    target = await serveFunction('deliveryTarget');
  });
  afterAll(() => target.close());

  it('delivers a structured CloudEvent that reaches the handler intact', async () => {
    const queue = new DeliveryQueue({ policy });
    queue.enqueue(job(target.url, 'plain'));
    await queue.drain();
    const [event] = eventsFor('plain');
    expect(event).toMatchObject({
      specversion: '1.0',
      id: 'event-plain',
      source: '//test/source',
      type: 'test.event.v1',
      data: { key: 'plain', attempt: 1 },
    });
    expect(queue.stats()).toEqual({ pending: 0, inFlight: 0, delivered: 1, deadLettered: 0 });
  });

  it('retries a failing handler until it acknowledges', async () => {
    behaviour.set('flaky', { failTimes: 2 });
    const queue = new DeliveryQueue({ policy });
    queue.enqueue(job(target.url, 'flaky'));
    await queue.drain();
    expect(eventsFor('flaky').map((event) => event.data)).toEqual([
      { key: 'flaky', attempt: 1 },
      { key: 'flaky', attempt: 2 },
      { key: 'flaky', attempt: 3 },
    ]);
    expect(queue.deadLetters()).toEqual([]);
  });

  it('treats a handler slower than the ack deadline as a failure and redelivers', async () => {
    behaviour.set('slow', { failTimes: 0, holdMs: 300 });
    const queue = new DeliveryQueue({ policy: { ...policy, ackDeadlineMs: 100, maxAttempts: 2 } });
    queue.enqueue(job(target.url, 'slow'));
    await queue.drain();
    expect(eventsFor('slow')).toHaveLength(2);
    expect(queue.deadLetters()[0]?.lastError).toMatch(/deadline/);
  });

  it('dead-letters after maxAttempts, lists the payload, and redrives it', async () => {
    behaviour.set('poison', { failTimes: 3 });
    const queue = new DeliveryQueue({ policy });
    const id = queue.enqueue(job(target.url, 'poison'));
    await queue.drain();
    expect(queue.deadLetters()).toEqual([
      expect.objectContaining({
        id,
        name: 'test-subscription',
        attempts: 3,
        lastError: 'HTTP 500',
        event: expect.objectContaining({ data: { key: 'poison', attempt: 3 } }) as unknown,
      }),
    ]);
    expect(queue.redrive([id])).toEqual([id]);
    await queue.drain();
    expect(queue.deadLetters()).toEqual([]);
    expect(eventsFor('poison')).toHaveLength(4);
  });

  it('never runs more handlers at once than the concurrency bound', async () => {
    maxActive = 0;
    const queue = new DeliveryQueue({ policy: { ...policy, concurrency: 3 } });
    for (let i = 0; i < 12; i += 1) {
      behaviour.set(`wide-${i}`, { failTimes: i % 2, holdMs: 20 });
      queue.enqueue(job(target.url, `wide-${i}`));
    }
    await queue.drain();
    expect(maxActive).toBe(3);
    expect(queue.stats().delivered).toBe(12);
  });

  it('gives each subscription its own bound: a trigger event never waits behind a topic backlog', async () => {
    const queue = new DeliveryQueue({ policy: { ...policy, concurrency: 1 } });
    for (let i = 0; i < 3; i += 1) {
      behaviour.set(`backlog-${i}`, { failTimes: 0, holdMs: 300 });
      queue.enqueue(job(target.url, `backlog-${i}`));
    }
    const trigger = { ...job(target.url, 'status-change'), name: 'test-trigger' };
    queue.enqueue(trigger);
    await queue.drain();
    const order = received
      .filter((event) => /^(backlog-|status-change)/.test(event.data.key))
      .map((event) => event.data.key);
    // One backlog event was in flight when the trigger's arrived; the trigger's went next to it.
    expect(order.indexOf('status-change')).toBe(1);
    expect(order).toHaveLength(4);
  });

  it('dead-letters when the subscriber cannot be reached', async () => {
    const queue = new DeliveryQueue({ policy: { ...policy, maxAttempts: 2 } });
    queue.enqueue(job(`http://127.0.0.1:${await freePort()}/`, 'unreachable'));
    await queue.drain();
    expect(queue.deadLetters()[0]).toMatchObject({
      attempts: 2,
      lastError: expect.stringMatching(/connection failed/) as unknown,
    });
  });
});

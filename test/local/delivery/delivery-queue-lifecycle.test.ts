import { describe, expect, it } from 'vitest';
import {
  DeliveryQueue,
  type Sleep,
  type DeliveryJob,
} from '../../../shared/local/pubsub/delivery-queue.js';
import type { SendEvent } from '../../../shared/local/pubsub/http-delivery.js';
import { hasCode } from '../../../shared/platform/errors.js';

const policy = {
  maxAttempts: 5,
  concurrency: 2,
  ackDeadlineMs: 1000,
  minBackoffMs: 100,
  maxBackoffMs: 1000,
};

const job: DeliveryJob = {
  name: 'sub',
  url: 'http://subscriber.invalid/',
  event: (attempt) => ({
    specversion: '1.0',
    id: 'e1',
    source: '//test',
    type: 'test.v1',
    time: '2024-01-19T12:00:00.000Z',
    datacontenttype: 'application/json',
    data: { attempt },
  }),
};

const failing: SendEvent = () => Promise.resolve({ ok: false, status: 503, error: 'HTTP 503' });

/** A sleep that returns at once and remembers what it was asked to wait. */
function recordingSleep(waits: number[]): Sleep {
  return (ms) => {
    waits.push(ms);
    return Promise.resolve();
  };
}

/** A sleep that never returns until aborted, like a long backoff cut short by close(). */
const endlessSleep: Sleep = (_ms, signal) =>
  new Promise((_resolve, reject) =>
    signal.addEventListener('abort', () => reject(new Error('aborted'))),
  );

describe('DeliveryQueue retry timing and shutdown', () => {
  it('backs off exponentially between the bounds, jittered into [half, full]', async () => {
    const waits: number[] = [];
    const queue = new DeliveryQueue({
      policy,
      send: failing,
      sleep: recordingSleep(waits),
      random: () => 0.999,
    });
    queue.enqueue(job);
    await queue.drain();
    expect(waits).toEqual([100, 200, 400, 800]);

    const low: number[] = [];
    const jittered = new DeliveryQueue({
      policy,
      send: failing,
      sleep: recordingSleep(low),
      random: () => 0,
    });
    jittered.enqueue(job);
    await jittered.drain();
    expect(low).toEqual([100, 100, 200, 400]);
  });

  it('close() stops retrying and reports what is still undelivered', async () => {
    const queue = new DeliveryQueue({ policy, send: failing, sleep: endlessSleep });
    const id = queue.enqueue(job);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const left = await queue.close();
    expect(left).toEqual([
      expect.objectContaining({ id, state: 'queued', attempts: 1, lastError: 'HTTP 503' }),
    ]);
    expect(queue.pending()).toHaveLength(1);
    expect(queue.deadLetters()).toEqual([]);
    expect(() => queue.enqueue(job)).toThrow();
    try {
      queue.enqueue(job);
    } catch (error) {
      expect(hasCode(error, 'DELIVERY.CLOSED')).toBe(true);
    }
  });

  it('close() waits for a request already in flight', async () => {
    let finish = () => {};
    const slow: SendEvent = () =>
      new Promise((resolve) => {
        finish = () => resolve({ ok: true, status: 204 });
      });
    const queue = new DeliveryQueue({ policy, send: slow });
    queue.enqueue(job);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(queue.stats().inFlight).toBe(1);
    const closing = queue.close();
    finish();
    expect(await closing).toEqual([]);
    expect(queue.stats().delivered).toBe(1);
  });
});

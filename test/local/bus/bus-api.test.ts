import express from 'express';
import { cloudEvent } from '@google-cloud/functions-framework';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  busApi,
  LocalPubSub,
  type MessagePublishedData,
} from '../../../shared/local/pubsub/bus.js';
import { DeliveryQueue } from '../../../shared/local/pubsub/delivery-queue.js';
import { errorResponder } from '../../../shared/platform/http.js';
import { createLogger } from '../../../shared/platform/logging.js';
import { serveFunction, type ServedFunction } from '../delivery/serve-function.js';

const received: MessagePublishedData[] = [];
let failing = false;

cloudEvent('restConsumer', (event: { data?: MessagePublishedData }) => {
  received.push(event.data!);
  if (failing) throw new Error('consumer down');
});

const texts = () =>
  received.map((data) => Buffer.from(data.message.data ?? '', 'base64').toString('utf8'));

describe('bus REST API', () => {
  let consumer: ServedFunction;
  let queue: DeliveryQueue;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    consumer = await serveFunction('restConsumer');
    queue = new DeliveryQueue({
      policy: {
        maxAttempts: 2,
        concurrency: 2,
        ackDeadlineMs: 1000,
        minBackoffMs: 1,
        maxBackoffMs: 2,
      },
    });
    const bus = new LocalPubSub({ projectId: 'chimera-test', queue });
    bus.subscribe('files', { name: 'files-sub', url: consumer.url });
    const app = express()
      .use(busApi(bus, queue))
      .use(errorResponder(createLogger({ write: () => {} })));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await queue.close();
    server.close();
    await consumer.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('publishes through topics/T:publish and answers the message ids', async () => {
    const response = await post('/v1/projects/chimera-test/topics/files:publish', {
      messages: [
        { data: Buffer.from('one').toString('base64'), attributes: { n: '1' } },
        { data: Buffer.from('two').toString('base64') },
      ],
    });
    expect(response.status).toBe(200);
    const { messageIds } = (await response.json()) as { messageIds: string[] };
    expect(messageIds).toHaveLength(2);
    await queue.drain();
    expect(texts()).toEqual(['one', 'two']);
    expect(received[0]?.message).toMatchObject({
      attributes: { n: '1' },
      messageId: messageIds[0],
    });
  });

  it.each([
    ['no messages', { messages: [] }],
    ['data that is not base64', { messages: [{ data: 'not base64!' }] }],
    ['a non-string attribute', { messages: [{ data: 'AA==', attributes: { n: 1 } }] }],
    ['a message with neither data nor attributes', { messages: [{}] }],
  ])('answers 400 for %s', async (_case, body) => {
    const response = await post('/v1/projects/chimera-test/topics/files:publish', body);
    expect(response.status).toBe(400);
    expect(await response.json()).toHaveProperty('detail');
  });

  it.each([
    ['an unknown topic', '/v1/projects/chimera-test/topics/nope:publish'],
    ['another project', '/v1/projects/other/topics/files:publish'],
  ])('answers 404 for %s', async (_case, path) => {
    const response = await post(path, { messages: [{ data: 'AA==' }] });
    expect(response.status).toBe(404);
  });

  it('lists dead letters and redrives them', async () => {
    failing = true;
    await post('/v1/projects/chimera-test/topics/files:publish', {
      messages: [{ data: Buffer.from('poison').toString('base64') }],
    });
    await queue.drain();
    const listed = (await (await fetch(`${base}/v1/local/deadletters`)).json()) as {
      deadLetters: {
        id: string;
        attempts: number;
        lastError: string;
        event: { data: MessagePublishedData };
      }[];
    };
    expect(listed.deadLetters).toHaveLength(1);
    expect(listed.deadLetters[0]).toMatchObject({ attempts: 2, lastError: 'HTTP 500' });
    expect(listed.deadLetters[0]?.event.data.subscription).toBe(
      'projects/chimera-test/subscriptions/files-sub',
    );

    failing = false;
    const redrive = await post('/v1/local/deadletters:redrive', {});
    expect(await redrive.json()).toEqual({ redriven: [listed.deadLetters[0]?.id] });
    await queue.drain();
    expect(texts().filter((text) => text === 'poison')).toHaveLength(3);
    expect(queue.deadLetters()).toEqual([]);
  });

  it('redrives only the chosen dead letters', async () => {
    failing = true;
    await post('/v1/projects/chimera-test/topics/files:publish', {
      messages: [{ data: 'AQ==' }, { data: 'Ag==' }],
    });
    await queue.drain();
    failing = false;
    const [first] = queue.deadLetters();
    const response = await post('/v1/local/deadletters:redrive', { ids: [first?.id] });
    expect(await response.json()).toEqual({ redriven: [first?.id] });
    await queue.drain();
    expect(queue.deadLetters()).toHaveLength(1);
  });
});

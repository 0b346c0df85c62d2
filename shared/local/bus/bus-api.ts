import express, { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../../http/validate.js';
import type { DeliveryQueue } from '../delivery/delivery-queue.js';
import type { LocalPubSub } from './local-pubsub.js';

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

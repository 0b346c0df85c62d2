import { z } from 'zod';
import { AppError } from '../errors/app-error.js';
import { parseInput } from '../http/validate.js';

const messagePublished = z.object({
  message: z.object({
    data: z.string().optional(),
    attributes: z.record(z.string(), z.string()).optional(),
    messageId: z.string().optional(),
  }),
  subscription: z.string().optional(),
});

/**
 * The JSON body of a Pub/Sub message, from the data of the `messagePublished` CloudEvent that
 * Eventarc (or a push subscription) delivers. Anything else is a permanent EVENT.INVALID.
 */
export function pubsubJson(eventData: unknown): unknown {
  const { message } = parseInput(messagePublished, eventData, 'Pub/Sub event');
  const text = Buffer.from(message.data ?? '', 'base64').toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError(
      'EVENT.INVALID',
      'invalid',
      `Pub/Sub message ${message.messageId ?? ''} is not JSON`,
    );
  }
}

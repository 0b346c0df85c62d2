import { z } from 'zod';
import { AppError, toAppError } from './errors.js';
import { parseInput } from './http.js';
import type { Logger } from './logging.js';

/** The parts of a CloudEvent a handler reads; functions-framework's CloudEvent satisfies it. */
export interface IncomingEvent {
  id: string;
  type?: string;
  data?: unknown;
}

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

/**
 * The one place that decides what an event handler's failure means to the platform: a
 * retryable or unexpected error is thrown, so Pub/Sub or Eventarc redelivers; the event's own
 * fault (invalid, not found, conflict) is logged and acknowledged, since no retry can help.
 */
export async function runEvent(
  logger: Logger,
  eventId: string,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (thrown) {
    const error = toAppError(thrown);
    const fields = { eventId, code: error.code, error: error.message };
    if (error.retryable || error.kind === 'internal') {
      logger.error('event failed; it will be redelivered', fields);
      throw error;
    }
    logger.error('event rejected for good and acknowledged', fields);
  }
}

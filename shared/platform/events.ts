import { z } from 'zod';
import { AppError, toAppError } from './errors.js';
import { parseInput } from './http.js';
import type { Logger } from './logging.js';
import { outsideRequestDomain } from './request-domain.js';

/** The parts of a CloudEvent a handler reads; functions-framework's CloudEvent satisfies it. */
export interface IncomingEvent {
  id: string;
  type?: string;
  data?: unknown;
}

/** Like parseInput, for an event's data: a malformed event is EVENT.INVALID wherever it is read. */
export function parseEvent<S extends z.ZodType>(
  schema: S,
  data: unknown,
  what: string,
): z.output<S> {
  return parseInput(schema, data, what, 'EVENT.INVALID');
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
  const { message } = parseEvent(messagePublished, eventData, 'Pub/Sub event');
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

/** Where a failure arose: in handling the event, or in processing the input the event names. */
export type FailureSource = 'handler' | 'input';

/**
 * The one rule deciding whether a failed event is worth delivering again. A dependency that is
 * down or slow (`unavailable`) may recover: redeliver. The event's own fault (`invalid`,
 * `not_found`, `conflict`) never will: acknowledge. An `internal` error (a bug, an unexpected
 * state) is redelivered when it arose in handling, where a fresh instance may fare better, but
 * is permanent when it arose from the input itself (a source file whose bytes break a decoder
 * breaks it the same way every time); such a failure is recorded against that input.
 */
export function shouldRedeliver(error: AppError, source: FailureSource = 'handler'): boolean {
  switch (error.kind) {
    case 'unavailable':
      return true;
    case 'internal':
      return source === 'handler';
    default:
      return false;
  }
}

/**
 * Runs an event handler under that rule: what should be redelivered is thrown, so Pub/Sub or
 * Eventarc delivers it again; everything else is logged and acknowledged.
 */
export async function runEvent(
  logger: Logger,
  eventId: string,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await outsideRequestDomain(work);
  } catch (thrown) {
    const error = toAppError(thrown);
    const fields = { eventId, code: error.code, error: error.message };
    if (shouldRedeliver(error)) {
      logger.error('event failed; it will be redelivered', fields);
      throw error;
    }
    logger.error('event rejected for good and acknowledged', fields);
  }
}

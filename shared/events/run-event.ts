import { toAppError } from '../errors/app-error.js';
import type { Logger } from '../logging/logger.js';

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

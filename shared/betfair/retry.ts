import pRetry from 'p-retry';
import { isRetryable } from './betfair-errors.js';

/** Backoff for transient and throttled failures. */
export interface RetrySettings {
  /** Further attempts after the first. */
  retries: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
}

/** Called before each retry with the error that caused it. */
export type OnRetry = (error: Error, attemptNumber: number, retriesLeft: number) => void;

/**
 * Runs `attempt`, retrying with exponential backoff and jitter while the failure is transient
 * or throttled. Session and bad-request failures are thrown at once: repeating them cannot help
 * and hammering with a dead session can get an app key suspended.
 */
export function withRetries<T>(
  attempt: () => Promise<T>,
  settings: RetrySettings,
  onRetry?: OnRetry,
): Promise<T> {
  return pRetry(attempt, {
    retries: settings.retries,
    minTimeout: settings.minTimeoutMs,
    maxTimeout: settings.maxTimeoutMs,
    factor: 2,
    randomize: true,
    shouldRetry: ({ error }) => isRetryable(error),
    onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
      if (retriesLeft > 0 && isRetryable(error)) onRetry?.(error, attemptNumber, retriesLeft);
    },
  });
}

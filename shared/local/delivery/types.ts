import type { Logger } from '../../logging/logger.js';
import type { BackoffPolicy } from './backoff.js';
import type { CloudEvent } from './cloud-event.js';
import type { SendEvent } from './http-sender.js';

/** Something to deliver: who receives it and the event to send on each attempt. */
export interface DeliveryJob {
  /** The subscription or trigger this delivery belongs to, for listings and logs. */
  name: string;
  /** The subscriber's push endpoint. */
  url: string;
  /** Builds the event for a 1-based attempt (Pub/Sub reports `deliveryAttempt` in the data). */
  event: (attempt: number) => CloudEvent;
}

/** Where an undelivered event stands. */
export const DELIVERY_STATES = ['queued', 'in_flight', 'retry_wait'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** An event not yet acknowledged and not dead-lettered. */
export interface PendingDelivery {
  id: string;
  name: string;
  url: string;
  state: DeliveryState;
  attempts: number;
  lastError?: string;
  event: CloudEvent;
}

/** An event that exhausted its attempts; kept until redriven. */
export interface DeadLetter {
  id: string;
  name: string;
  url: string;
  reason: string;
  attempts: number;
  lastError: string;
  deadLetteredAt: string;
  /** The event as last sent. */
  event: CloudEvent;
}

/** Counters for a status page. */
export interface DeliveryStats {
  pending: number;
  inFlight: number;
  delivered: number;
  deadLettered: number;
}

/** Retry and concurrency settings; `Config['bus']` has exactly this shape. */
export interface DeliveryPolicy extends BackoffPolicy {
  maxAttempts: number;
  concurrency: number;
  ackDeadlineMs: number;
  /** Deliver every event twice, as at-least-once delivery may; for testing idempotency. */
  duplicate?: boolean;
}

/** Waits `ms`, rejecting early when `signal` aborts. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** A queue's collaborators; all but `policy` have working defaults. */
export interface DeliveryQueueOptions {
  policy: DeliveryPolicy;
  logger?: Logger;
  send?: SendEvent;
  sleep?: Sleep;
  random?: () => number;
  now?: () => Date;
}

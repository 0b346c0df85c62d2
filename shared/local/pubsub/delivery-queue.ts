import pLimit from 'p-limit';
import { setTimeout as delay } from 'node:timers/promises';
import type { LimitFunction } from 'p-limit';
import { AppError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logging.js';
import {
  type CloudEvent,
  type SendEvent,
  newEventId,
  postCloudEvent,
  type SendOutcome,
} from './http-delivery.js';

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

/** Bounds of the exponential retry backoff, as Pub/Sub's retry policy sets them. */
export interface BackoffPolicy {
  minBackoffMs: number;
  maxBackoffMs: number;
}

/**
 * The wait before retrying after `failedAttempts` failures: doubling from the minimum up to
 * the maximum, then jittered into [half, full] so that many failures at once do not retry in
 * lock step. `random` returns a number in [0, 1).
 */
export function retryDelay(
  failedAttempts: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const ceiling = Math.min(policy.maxBackoffMs, policy.minBackoffMs * 2 ** exponent);
  const floor = Math.min(ceiling, Math.max(policy.minBackoffMs, ceiling / 2));
  return Math.round(floor + (ceiling - floor) * random());
}

/**
 * Events that exhausted their attempts, kept with the job that produced them so a redrive
 * sends the same event again.
 */
export class DeadLetterStore {
  private readonly letters = new Map<string, { letter: DeadLetter; job: DeliveryJob }>();

  /** How many events are dead-lettered. */
  get size(): number {
    return this.letters.size;
  }

  add(letter: DeadLetter, job: DeliveryJob): void {
    this.letters.set(letter.id, { letter, job });
  }

  /** Dead letters, oldest first. */
  list(): DeadLetter[] {
    return [...this.letters.values()].map(({ letter }) => letter);
  }

  /** Removes and returns the given dead letters (all when `ids` is omitted); unknown ids are ignored. */
  take(ids?: readonly string[]): { id: string; job: DeliveryJob }[] {
    const taken: { id: string; job: DeliveryJob }[] = [];
    for (const id of ids ?? [...this.letters.keys()]) {
      const found = this.letters.get(id);
      if (!found) continue;
      this.letters.delete(id);
      taken.push({ id, job: found.job });
    }
    return taken;
  }
}

interface Entry {
  id: string;
  job: DeliveryJob;
  state: DeliveryState;
  attempts: number;
  lastError?: string;
}

const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/**
 * At-least-once delivery of CloudEvents to push endpoints: at most `concurrency` requests at
 * a time to each subscription or trigger (each has its own lane, as each push subscription and
 * Eventarc trigger is served on its own, so a trigger's events never wait behind a topic's
 * backlog), failures retried with exponential backoff, and events that fail `maxAttempts` times
 * moved to a dead-letter list from which they can be redriven.
 */
export class DeliveryQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly dead = new DeadLetterStore();
  private readonly running = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  /** Aborts requests still in flight once close() has waited its grace period. */
  private readonly abandoning = new AbortController();
  /** One concurrency limit per subscription or trigger name. */
  private readonly lanes = new Map<string, LimitFunction>();
  private readonly send: SendEvent;
  private readonly sleep: Sleep;
  private delivered = 0;

  constructor(private readonly options: DeliveryQueueOptions) {
    this.send = options.send ?? postCloudEvent;
    this.sleep = options.sleep ?? realSleep;
  }

  /** Queues a delivery and returns its id; throws DELIVERY.CLOSED after `close()`. */
  enqueue(job: DeliveryJob): string {
    const id = newEventId();
    this.start({ id, job, state: 'queued', attempts: 0 });
    if (this.options.policy.duplicate) {
      this.start({ id: newEventId(), job, state: 'queued', attempts: 0 });
    }
    return id;
  }

  /** Events not yet acknowledged, oldest first. */
  pending(): PendingDelivery[] {
    return [...this.entries.values()].map((entry) => ({
      id: entry.id,
      name: entry.job.name,
      url: entry.job.url,
      state: entry.state,
      attempts: entry.attempts,
      lastError: entry.lastError,
      event: entry.job.event(Math.max(1, entry.attempts)),
    }));
  }

  /** Dead-lettered events, oldest first. */
  deadLetters(): DeadLetter[] {
    return this.dead.list();
  }

  /** Requeues the given dead letters (all when `ids` is omitted) with fresh attempts. */
  redrive(ids?: readonly string[]): string[] {
    if (this.closed) throw closedError();
    const taken = this.dead.take(ids);
    for (const { id, job } of taken) this.start({ id, job, state: 'queued', attempts: 0 });
    return taken.map(({ id }) => id);
  }

  /** Counts of pending, in-flight, delivered and dead-lettered events. */
  stats(): DeliveryStats {
    const inFlight = [...this.entries.values()].filter((e) => e.state === 'in_flight').length;
    return {
      pending: this.entries.size,
      inFlight,
      delivered: this.delivered,
      deadLettered: this.dead.size,
    };
  }

  /** Resolves once every queued event has been acknowledged or dead-lettered. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /**
   * Stops retrying, waits up to `graceMs` for requests already in flight, abandons those still
   * unanswered, and returns what is undelivered: those events stay listed in `pending()`
   * rather than being dropped, and an abandoned request does not count as a failed attempt.
   */
  async close(graceMs = Number.POSITIVE_INFINITY): Promise<PendingDelivery[]> {
    this.stopping.abort();
    const drained = this.drain();
    if (Number.isFinite(graceMs)) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([drained, grace]);
      clearTimeout(timer);
      this.abandoning.abort();
    }
    await drained;
    for (const entry of this.entries.values()) entry.state = 'queued';
    return this.pending();
  }

  private get closed(): boolean {
    return this.stopping.signal.aborted;
  }

  private start(entry: Entry): void {
    if (this.closed)
      throw new AppError('DELIVERY.CLOSED', 'unavailable', 'Delivery queue is closed');
    this.entries.set(entry.id, entry);
    const run = this.deliver(entry).catch((error: unknown) =>
      this.options.logger?.error('delivery loop failed', { id: entry.id, error }),
    );
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  private async deliver(entry: Entry): Promise<void> {
    const { maxAttempts } = this.options.policy;
    while (!this.closed) {
      const outcome = await this.laneOf(entry.job.name)(() => this.attempt(entry));
      if (!outcome) return;
      if (outcome.ok) return this.acknowledge(entry);
      entry.lastError = outcome.error;
      if (entry.attempts >= maxAttempts) return this.deadLetter(entry);
      entry.state = 'retry_wait';
      if (!(await this.backOff(entry.attempts))) return;
    }
  }

  private laneOf(name: string): LimitFunction {
    let lane = this.lanes.get(name);
    if (!lane) this.lanes.set(name, (lane = pLimit(this.options.policy.concurrency)));
    return lane;
  }

  /** One request; undefined when the queue closed while this waited for a slot. */
  private async attempt(entry: Entry): Promise<SendOutcome | undefined> {
    if (this.closed) return undefined;
    entry.attempts += 1;
    entry.state = 'in_flight';
    const event = entry.job.event(entry.attempts);
    const { ackDeadlineMs } = this.options.policy;
    const outcome = await this.send(entry.job.url, event, ackDeadlineMs, this.abandoning.signal);
    entry.state = 'queued';
    if (!outcome.ok && this.abandoning.signal.aborted) {
      entry.attempts -= 1;
      entry.lastError = outcome.error;
      return undefined;
    }
    if (!outcome.ok) {
      this.options.logger?.warn('delivery failed', {
        id: entry.id,
        name: entry.job.name,
        attempt: entry.attempts,
        error: outcome.error,
      });
    }
    return outcome;
  }

  /** Waits before the next attempt; false when `close()` interrupted the wait. */
  private async backOff(failedAttempts: number): Promise<boolean> {
    const ms = retryDelay(failedAttempts, this.options.policy, this.options.random);
    try {
      await this.sleep(ms, this.stopping.signal);
      return !this.closed;
    } catch {
      return false;
    }
  }

  private acknowledge(entry: Entry): void {
    this.entries.delete(entry.id);
    this.delivered += 1;
  }

  private deadLetter(entry: Entry): void {
    const letter: DeadLetter = {
      id: entry.id,
      name: entry.job.name,
      url: entry.job.url,
      reason: `not acknowledged after ${entry.attempts} attempts`,
      attempts: entry.attempts,
      lastError: entry.lastError ?? 'unknown',
      deadLetteredAt: (this.options.now?.() ?? new Date()).toISOString(),
      event: entry.job.event(entry.attempts),
    };
    this.entries.delete(entry.id);
    this.dead.add(letter, entry.job);
    this.options.logger?.error('delivery dead-lettered', {
      id: entry.id,
      name: entry.job.name,
      attempts: entry.attempts,
      error: letter.lastError,
    });
  }
}

function closedError(): AppError {
  return new AppError('DELIVERY.CLOSED', 'unavailable', 'Delivery queue is closed');
}

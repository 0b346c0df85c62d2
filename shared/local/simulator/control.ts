import { createRng, deriveSeed } from '../generator/random.js';
import type { ApingErrorCode } from '../../betfair/protocol.js';
import type { Exchange } from './model/exchange.js';

/** A delay before each answer: fixed when min equals max, else drawn from the range. */
export interface Latency {
  minMs: number;
  maxMs: number;
}

/** The faults a test or a person at the control API has asked for. */
export interface FaultSettings {
  latency: Latency;
  /** The next `count` betting calls fail with `errorCode`. */
  failNext: { count: number; errorCode: ApingErrorCode };
  /** Every betting call fails with `errorCode` with this probability. */
  failRate: { probability: number; errorCode: ApingErrorCode };
}

/** Injected latency and errors, drawn from a seeded source so runs repeat. */
export interface Faults {
  readonly settings: FaultSettings;
  /** Milliseconds to wait before answering this request. */
  nextDelay(): number;
  /** The error this betting call must fail with, if any; consumes one of `failNext`. */
  nextError(): ApingErrorCode | undefined;
}

/** Accepts a fixed delay or a [min, max] range. */
export function toLatency(value: number | readonly [number, number] | Latency): Latency {
  if (typeof value === 'number') return { minMs: value, maxMs: value };
  if ('minMs' in value) return { ...value };
  const [minMs, maxMs] = value;
  return { minMs: Math.min(minMs, maxMs), maxMs: Math.max(minMs, maxMs) };
}

/** Creates the fault injector with no faults switched on. */
export function createFaults(seed: number, latency: Latency = { minMs: 0, maxMs: 0 }): Faults {
  const rng = createRng(deriveSeed(seed, 'faults'));
  const settings: FaultSettings = {
    latency,
    failNext: { count: 0, errorCode: 'SERVICE_BUSY' },
    failRate: { probability: 0, errorCode: 'SERVICE_BUSY' },
  };
  return {
    settings,
    nextDelay: () => {
      const { minMs, maxMs } = settings.latency;
      return minMs === maxMs ? minMs : minMs + rng.next() * (maxMs - minMs);
    },
    nextError: () => {
      if (settings.failNext.count > 0) {
        settings.failNext.count -= 1;
        return settings.failNext.errorCode;
      }
      const { probability, errorCode } = settings.failRate;
      return probability > 0 && rng.chance(probability) ? errorCode : undefined;
    },
  };
}

/** Why a session token was refused, in APINGException codes. */
export type SessionProblem = 'NO_SESSION' | 'INVALID_SESSION_INFORMATION';

/** Live session tokens (SSOIDs), which die unless kept alive. */
export interface SessionStore {
  /** A new live token, as a login would give. */
  issue(now: number): string;
  /** Why `token` cannot be used at `now`, or undefined when it can. */
  check(token: string | undefined, now: number): SessionProblem | undefined;
  /** Extends a live session; false when the token is unknown or has expired. */
  keepAlive(token: string, now: number): boolean;
  /** Ends a session now; false when there was no such session. */
  expire(token: string): boolean;
  expireAll(): void;
  /** Minutes without a keep-alive after which a session dies; null for never. */
  timeoutMinutes: number | null;
}

/** Creates a session store; tokens are derived from `seed`, so runs repeat. */
export function createSessionStore(seed: number, timeoutMinutes: number | null): SessionStore {
  const lastKeptAlive = new Map<string, number>();
  const rng = createRng(deriveSeed(seed, 'sessions'));
  const store: SessionStore = {
    timeoutMinutes,
    issue: (now) => {
      const token = newToken(() => rng.next());
      lastKeptAlive.set(token, now);
      return token;
    },
    check: (token, now) => {
      if (!token) return 'NO_SESSION';
      return live(token, now) ? undefined : 'INVALID_SESSION_INFORMATION';
    },
    keepAlive: (token, now) => {
      if (!live(token, now)) return false;
      lastKeptAlive.set(token, now);
      return true;
    },
    expire: (token) => lastKeptAlive.delete(token),
    expireAll: () => lastKeptAlive.clear(),
  };
  const live = (token: string, now: number): boolean => {
    const last = lastKeptAlive.get(token);
    if (last === undefined) return false;
    if (store.timeoutMinutes === null || now - last < store.timeoutMinutes * 60_000) return true;
    lastKeptAlive.delete(token);
    return false;
  };
  return store;
}

/** 44 characters of base64 alphabet ending in "=", the look of a Betfair SSOID. */
function newToken(next: () => number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const body = Array.from({ length: 43 }, () => alphabet[Math.floor(next() * 64)]).join('');
  return `${body}=`;
}

/** What the simulator has been asked and answered since it started (or stats were reset). */
export interface SimulatorStats {
  requests: number;
  /** Betting calls by operation name, keep-alives as "keepAlive". */
  byMethod: Record<string, number>;
  /** The heaviest request weight seen, whether or not it was refused. */
  maxWeight: number;
  /** Errors answered, by APINGException code, keep-alive error or JSON-RPC code. */
  errors: Record<string, number>;
}

/** A running tally of requests, weights and errors. */
export interface StatsRecorder {
  snapshot(): SimulatorStats;
  request(method: string): void;
  weight(weight: number): void;
  error(code: string): void;
  reset(): void;
}

/** Creates an empty tally. */
export function createStats(): StatsRecorder {
  let stats = empty();
  return {
    snapshot: () => structuredClone(stats),
    request: (method) => {
      stats.requests += 1;
      stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    },
    weight: (weight) => {
      stats.maxWeight = Math.max(stats.maxWeight, weight);
    },
    error: (code) => {
      stats.errors[code] = (stats.errors[code] ?? 0) + 1;
    },
    reset: () => {
      stats = empty();
    },
  };
}

function empty(): SimulatorStats {
  return { requests: 0, byMethod: {}, maxWeight: 0, errors: {} };
}

/** A source of the current time in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** The simulator's clock: follows a source clock until pinned, then runs from the pinned time. */
export interface SimulatorClock extends Clock {
  /**
   * Moves simulated time to `time`. With `speed` 0 (the default) time stands still there, so
   * tests see exactly that instant; with `speed` 60 a real second is a simulated minute.
   */
  set(time: number, speed?: number): void;
  /** Returns to following the source clock. */
  release(): void;
}

/** Wraps `source` in a clock that tests and the control API can move. */
export function createSimulatorClock(source: Clock): SimulatorClock {
  let pin: { at: number; realAt: number; speed: number } | undefined;
  return {
    now: () => (pin ? pin.at + (source.now() - pin.realAt) * pin.speed : source.now()),
    set: (time, speed = 0) => {
      pin = { at: time, realAt: source.now(), speed };
    },
    release: () => {
      pin = undefined;
    },
  };
}

/** Parses a control-API time: epoch ms or an ISO 8601 string. */
export function parseTime(time: number | string): number {
  const ms = typeof time === 'number' ? time : Date.parse(time);
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${String(time)}`);
  return ms;
}

/** Everything a running simulator knows; routes read and change it, tests may inspect it. */
export interface SimulatorState {
  readonly seed: number;
  readonly exchange: Exchange;
  readonly clock: SimulatorClock;
  readonly sessions: SessionStore;
  readonly faults: Faults;
  readonly stats: StatsRecorder;
  /** Application keys (X-Application) the simulator accepts. */
  readonly appKeys: ReadonlySet<string>;
  /** A fresh requestUUID for an APINGException. */
  readonly newRequestId: () => string;
}

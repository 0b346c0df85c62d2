import { createRng, deriveSeed } from '../../generator/rng.js';
import type { ApingErrorCode } from '../api/aping-error.js';

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

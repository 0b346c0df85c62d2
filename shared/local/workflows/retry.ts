import { callSleep } from './connectors.js';
import { runtimeError, WorkflowError } from './errors.js';
import type { BuiltinPredicate, RetrySpec } from './program.js';
import { renderIn, type Frame } from './runtime.js';
import { isMap, expectBoolean, expectInt, expectNumber } from './values.js';

const IDEMPOTENT_CODES = new Set([429, 502, 503, 504]);
const NON_IDEMPOTENT_CODES = new Set([429, 503]);

/** The standard library's retry predicates, applied to a raised value. */
export const BUILTIN_PREDICATE_TESTS: Record<BuiltinPredicate, (error: unknown) => boolean> = {
  'http.default_retry_predicate': (error) =>
    hasCode(error, IDEMPOTENT_CODES) ||
    hasTag(error, ['ConnectionError', 'ConnectionFailedError', 'TimeoutError']),
  'http.default_retry_predicate_non_idempotent': (error) =>
    hasCode(error, NON_IDEMPOTENT_CODES) || hasTag(error, ['ConnectionFailedError']),
  'retry.always': () => true,
  'retry.never': () => false,
};

/**
 * Runs `attempt`, retrying raised errors the policy's predicate accepts, up to max_retries
 * times, sleeping initial_delay, then each delay times multiplier, capped at max_delay.
 */
export async function withRetry<T>(
  spec: RetrySpec,
  frame: Frame,
  attempt: () => Promise<T>,
): Promise<T> {
  const policy = resolvePolicy(spec, frame);
  let delay = policy.initialDelay;
  for (let retries = 0; ; retries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof WorkflowError) || retries >= policy.maxRetries) throw error;
      if (!(await shouldRetry(spec, error.payload, frame))) throw error;
      await callSleep({ seconds: delay }, frame);
      delay = Math.min(delay * policy.multiplier, policy.maxDelay);
    }
  }
}

function resolvePolicy(spec: RetrySpec, frame: Frame) {
  const number = (template: RetrySpec['maxRetries'], what: string) =>
    expectNumber(renderIn(frame, template), `retry ${what}`);
  const policy = {
    maxRetries: expectInt(renderIn(frame, spec.maxRetries), 'retry max_retries'),
    initialDelay: number(spec.backoff.initialDelay, 'initial_delay'),
    maxDelay: number(spec.backoff.maxDelay, 'max_delay'),
    multiplier: number(spec.backoff.multiplier, 'multiplier'),
  };
  if (policy.maxRetries < 0 || policy.initialDelay < 0 || policy.multiplier < 1) {
    throw runtimeError('ValueError', 'retry policy values out of range');
  }
  return policy;
}

async function shouldRetry(spec: RetrySpec, payload: unknown, frame: Frame): Promise<boolean> {
  if (spec.predicate.kind === 'builtin')
    return BUILTIN_PREDICATE_TESTS[spec.predicate.name](payload);
  const predicate = frame.rt.program.subworkflows.get(spec.predicate.name);
  const param = predicate?.params[0]?.name ?? 'e';
  const verdict = await frame.rt.callSubworkflow(spec.predicate.name, { [param]: payload }, frame);
  return expectBoolean(verdict, `retry predicate ${spec.predicate.name}`);
}

function hasCode(error: unknown, codes: Set<number>): boolean {
  return isMap(error) && typeof error.code === 'number' && codes.has(error.code);
}

function hasTag(error: unknown, tags: string[]): boolean {
  const raised = isMap(error) && Array.isArray(error.tags) ? (error.tags as unknown[]) : [];
  return tags.some((tag) => raised.includes(tag));
}

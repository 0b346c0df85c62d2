import { callSleep } from './connectors.js';
import { runtimeError, WorkflowError } from './errors.js';
import { isExpressionText } from './expressions/evaluate.js';
import { dottedName } from './expressions/parser.js';
import { type ParseContext, invalid, onlyKeys, unsupported } from './parse.js';
import { BUILTIN_PREDICATES, type BuiltinPredicate, type RetrySpec } from './program.js';
import { renderIn, type Frame } from './runtime.js';
import { isMap, type WorkflowMap, expectBoolean, expectInt, expectNumber } from './values.js';

const DEFAULT_POLICIES: Record<string, BuiltinPredicate> = {
  'http.default_retry': 'http.default_retry_predicate',
  'http.default_retry_non_idempotent': 'http.default_retry_predicate_non_idempotent',
};

/** A retry policy: a default policy by name, or a map with predicate, max_retries, backoff. */
export function parseRetry(value: unknown, path: string, ctx: ParseContext): RetrySpec {
  const backoffDefaults = { initial_delay: 1, max_delay: 60, multiplier: 1.25 };
  if (typeof value === 'string') {
    const name = referencedName(value, path, ctx);
    const predicate = DEFAULT_POLICIES[name];
    if (!predicate) throw unsupported(`retry policy ${value}`, path);
    return retrySpec({ kind: 'builtin', name: predicate }, 5, backoffDefaults, path, ctx);
  }
  if (!isMap(value)) throw invalid('retry must be a policy or a map', path);
  onlyKeys(value, ['predicate', 'max_retries', 'backoff'], path);
  if (typeof value.predicate !== 'string') throw invalid('retry needs a predicate', path);
  if (value.max_retries === undefined) throw invalid('retry needs max_retries', path);
  const backoff = value.backoff ?? backoffDefaults;
  if (!isMap(backoff)) throw invalid('backoff must be a map', path);
  onlyKeys(backoff, ['initial_delay', 'max_delay', 'multiplier'], `${path}.backoff`);
  const name = referencedName(value.predicate, path, ctx);
  const predicate = (BUILTIN_PREDICATES as readonly string[]).includes(name)
    ? { kind: 'builtin' as const, name: name as BuiltinPredicate }
    : { kind: 'subworkflow' as const, name };
  if (predicate.kind === 'subworkflow' && ctx.subworkflows.get(name)?.params.length !== 1) {
    throw unsupported(`retry predicate ${value.predicate}`, path);
  }
  return retrySpec(predicate, value.max_retries, { ...backoffDefaults, ...backoff }, path, ctx);
}

function retrySpec(
  predicate: RetrySpec['predicate'],
  maxRetries: unknown,
  backoff: WorkflowMap,
  path: string,
  ctx: ParseContext,
): RetrySpec {
  return {
    predicate,
    maxRetries: ctx.template(maxRetries, path),
    backoff: {
      initialDelay: ctx.template(backoff.initial_delay, path),
      maxDelay: ctx.template(backoff.max_delay, path),
      multiplier: ctx.template(backoff.multiplier, path),
    },
  };
}

function referencedName(text: string, path: string, ctx: ParseContext): string {
  const name = isExpressionText(text) ? dottedName(ctx.expression(text, path)) : undefined;
  if (!name) throw unsupported(`retry reference ${text}`, path);
  return name;
}

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

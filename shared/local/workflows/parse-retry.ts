import { dottedName } from './expressions/ast.js';
import { isExpressionText } from './expressions/template.js';
import type { ParseContext } from './parse-context.js';
import { invalid, onlyKeys, unsupported } from './parse-errors.js';
import { BUILTIN_PREDICATES, type BuiltinPredicate, type RetrySpec } from './program.js';
import { isMap, type WorkflowMap } from './values.js';

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

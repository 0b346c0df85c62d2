import type { ParseContext } from './parse-context.js';
import { invalid, onlyKeys, unsupported } from './parse-errors.js';
import { parseRetry } from './parse-retry.js';
import { parseStep, parseStepList } from './parse-steps.js';
import type { LoopSpec, ParallelStep, SwitchStep, TryStep } from './program.js';
import { isMap, type WorkflowMap } from './values.js';

const VARIABLE = /^[A-Za-z_]\w*$/;

function variableName(value: unknown, what: string, path: string): string {
  if (typeof value !== 'string' || !VARIABLE.test(value)) {
    throw invalid(`${what} must be a variable name`, path);
  }
  return value;
}

/** `switch:` — a list of conditions, each with an inline step (next, steps, assign, ...). */
export function parseSwitch(value: unknown, path: string, ctx: ParseContext): SwitchStep['cases'] {
  if (!Array.isArray(value) || value.length === 0) throw invalid('switch must be a list', path);
  return value.map((entry, i) => {
    const here = `${path}.switch[${i}]`;
    if (
      !isMap(entry) ||
      (typeof entry.condition !== 'string' && typeof entry.condition !== 'boolean')
    ) {
      throw invalid('each switch entry needs a condition', here);
    }
    const { condition, ...rest } = entry;
    const expr =
      typeof condition === 'boolean'
        ? { kind: 'literal' as const, value: condition }
        : ctx.expression(condition, here);
    return { condition: expr, body: parseStep(`switch[${i}]`, rest, here, ctx) };
  });
}

/** `for:` — `value`, optional `index`, and `in:` a list or `range: [from, to]`. */
export function parseFor(value: unknown, path: string, ctx: ParseContext): LoopSpec {
  if (!isMap(value)) throw invalid('for must be a map', path);
  onlyKeys(value, ['value', 'index', 'in', 'range', 'steps'], path);
  const loopVar = variableName(value.value, 'for value', path);
  const index =
    value.index === undefined ? undefined : variableName(value.index, 'for index', path);
  const body = parseStepList(value.steps, `${path}.steps`, ctx);
  if ((value.in === undefined) === (value.range === undefined)) {
    throw invalid('for needs exactly one of in or range', path);
  }
  if (value.in !== undefined) {
    return {
      value: loopVar,
      index,
      body,
      source: { kind: 'in', list: ctx.template(value.in, path) },
    };
  }
  if (!Array.isArray(value.range) || value.range.length !== 2) {
    throw invalid('range must be [from, to]', path);
  }
  const from = ctx.template(value.range[0], path);
  const to = ctx.template(value.range[1], path);
  return { value: loopVar, index, body, source: { kind: 'range', from, to } };
}

/** `parallel:` — `branches` or `for`, with `shared`, `concurrency_limit`, `exception_policy`. */
export function parseParallel(
  value: unknown,
  path: string,
  ctx: ParseContext,
): Pick<
  ParallelStep,
  'kind' | 'shared' | 'concurrencyLimit' | 'continueAll' | 'branches' | 'loop'
> {
  if (!isMap(value)) throw invalid('parallel must be a map', path);
  onlyKeys(value, ['shared', 'concurrency_limit', 'exception_policy', 'branches', 'for'], path);
  const shared = value.shared ?? [];
  if (!Array.isArray(shared)) throw invalid('shared must be a list of variable names', path);
  const limit = value.concurrency_limit;
  if (limit !== undefined && (!Number.isInteger(limit) || (limit as number) < 1)) {
    throw invalid('concurrency_limit must be a positive integer', path);
  }
  const policy = value.exception_policy;
  if (policy !== undefined && policy !== 'continueAll')
    throw unsupported(`exception_policy ${JSON.stringify(policy)}`, path);
  if ((value.branches === undefined) === (value.for === undefined)) {
    throw invalid('parallel needs exactly one of branches or for', path);
  }
  return {
    kind: 'parallel',
    shared: shared.map((name) => variableName(name, 'shared', path)),
    concurrencyLimit: limit as number | undefined,
    continueAll: policy === 'continueAll',
    branches: value.branches === undefined ? undefined : parseBranches(value.branches, path, ctx),
    loop: value.for === undefined ? undefined : parseFor(value.for, `${path}.for`, ctx),
  };
}

function parseBranches(value: unknown, path: string, ctx: ParseContext) {
  if (!Array.isArray(value) || value.length < 2)
    throw invalid('branches must list at least two', path);
  return value.map((entry, i) => {
    const here = `${path}.branches[${i}]`;
    if (!isMap(entry) || Object.keys(entry).length !== 1)
      throw invalid('a branch is a one-key map', here);
    const [name, body] = Object.entries(entry)[0] as [string, unknown];
    if (!isMap(body)) throw invalid('a branch needs steps', here);
    onlyKeys(body, ['steps'], `${here}.${name}`);
    return { name, body: parseStepList(body.steps, `${here}.${name}.steps`, ctx) };
  });
}

/** `try:` with optional `retry:` and `except:`. */
export function parseTry(
  body: WorkflowMap,
  path: string,
  ctx: ParseContext,
): Pick<TryStep, 'kind' | 'body' | 'retry' | 'except'> {
  if (body.retry === undefined && body.except === undefined) {
    throw invalid('try needs retry or except', path);
  }
  return {
    kind: 'try',
    body: parseStep('try', body.try, `${path}.try`, ctx),
    retry: body.retry === undefined ? undefined : parseRetry(body.retry, `${path}.retry`, ctx),
    except: body.except === undefined ? undefined : parseExcept(body.except, `${path}.except`, ctx),
  };
}

function parseExcept(value: unknown, path: string, ctx: ParseContext): TryStep['except'] {
  if (!isMap(value)) throw invalid('except must be a map', path);
  onlyKeys(value, ['as', 'steps'], path);
  const as = value.as === undefined ? undefined : variableName(value.as, 'except as', path);
  return { as, body: parseStepList(value.steps, `${path}.steps`, ctx) };
}

import { parse as parseYaml } from 'yaml';
import { invalid, unsupported } from './errors.js';
import {
  compileExpression,
  compileTemplate,
  isExpressionText,
  type Template,
} from './expressions/evaluate.js';
import { dottedName, type Expr, parseExpression } from './expressions/parser.js';
import {
  BUILTIN_PREDICATES,
  CALL_TARGETS,
  type AssignTarget,
  type BuiltinPredicate,
  type RetrySpec,
  type Step,
  type StepList,
  type LoopSpec,
  type ParallelStep,
  type SwitchStep,
  type TryStep,
  type Param,
  type Subworkflow,
  type WorkflowProgram,
} from './program.js';
import { isStdFunction } from './stdlib.js';
import { isMap, type WorkflowMap } from './values.js';

/** Refuses keys outside `allowed`, naming the first stray one. */
export function onlyKeys(map: Record<string, unknown>, allowed: string[], path: string): void {
  const stray = Object.keys(map).find((key) => !allowed.includes(key));
  if (stray) throw unsupported(stray, path);
}

/** A subworkflow's parameter names and which of them have no default. */
export interface SubworkflowSignature {
  params: string[];
  required: string[];
}

/** What step parsing needs to know about the whole workflow and the current subworkflow. */
export class ParseContext {
  /** Step names seen in the current subworkflow. */
  readonly stepNames = new Set<string>();
  /** `next:` targets to check once every step of the subworkflow is known. */
  readonly jumps: { target: string; path: string }[] = [];

  constructor(readonly subworkflows: ReadonlyMap<string, SubworkflowSignature>) {}

  /** Compiles a YAML value that may contain `${...}` expressions. */
  template(value: unknown, path: string): Template {
    return compileTemplate(value, path, isStdFunction);
  }

  /** Compiles a YAML value that must be one `${...}` expression. */
  expression(text: string, path: string): Expr {
    return compileExpression(text, path, isStdFunction);
  }

  /** A fresh context for another subworkflow. */
  forSubworkflow(): ParseContext {
    return new ParseContext(this.subworkflows);
  }
}

/** Parses an assignment target such as `a`, `a.b`, `a[0]` or `m["k"]`. */
export function parseAssignTarget(text: string, path: string): AssignTarget {
  let expr: Expr;
  try {
    expr = parseExpression(text);
  } catch (error) {
    throw invalid(`bad assignment target "${text}": ${(error as Error).message}`, path);
  }
  const accessors: AssignTarget['accessors'] = [];
  while (expr.kind === 'member' || expr.kind === 'index') {
    accessors.unshift(
      expr.kind === 'member'
        ? { kind: 'field', name: expr.name }
        : { kind: 'index', index: expr.index },
    );
    expr = expr.object;
  }
  if (expr.kind !== 'variable') throw invalid(`bad assignment target "${text}"`, path);
  return { root: expr.name, accessors };
}

const CONTROL_JUMPS = new Set(['end', 'break', 'continue']);
const STEP_KINDS = [
  'assign',
  'call',
  'switch',
  'steps',
  'for',
  'parallel',
  'try',
  'raise',
  'return',
];
const COMPANIONS: Record<string, string[]> = {
  call: ['args', 'result'],
  try: ['retry', 'except'],
};

/** Parses a `steps:` list: single-key maps, names unique in the subworkflow. */
export function parseStepList(value: unknown, path: string, ctx: ParseContext): StepList {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid('steps must be a non-empty list', path);
  }
  const names = new Set<string>();
  const steps = value.map((entry, i) => {
    const here = `${path}[${i}]`;
    if (!isMap(entry) || Object.keys(entry).length !== 1) {
      throw invalid('each step must be a map with exactly one key (its name)', here);
    }
    const [name, body] = Object.entries(entry)[0] as [string, unknown];
    if (names.has(name)) throw invalid(`duplicate step name "${name}"`, here);
    names.add(name);
    ctx.stepNames.add(name);
    return parseStep(name, body, `${here}.${name}`, ctx);
  });
  return { steps, positions: new Map(steps.map((step, i) => [step.name, i])) };
}

/** Parses one step body, refusing any key the interpreter does not run. */
export function parseStep(name: string, body: unknown, path: string, ctx: ParseContext): Step {
  if (!isMap(body)) throw invalid('a step body must be a map', path);
  const kinds = Object.keys(body).filter((key) => STEP_KINDS.includes(key));
  if (kinds.length > 1) throw invalid(`a step cannot combine ${kinds.join(' and ')}`, path);
  const kind = kinds[0];
  const allowed = new Set(['next', ...(kind ? [kind, ...(COMPANIONS[kind] ?? [])] : [])]);
  const stray = Object.keys(body).find((key) => !allowed.has(key));
  if (stray) throw unsupported(stray, path);
  const base = { name, path, next: parseNext(body.next, path, ctx) };
  return parseKind(kind, body, base, ctx);
}

function parseKind(
  kind: string | undefined,
  body: WorkflowMap,
  base: { name: string; path: string; next?: string },
  ctx: ParseContext,
): Step {
  switch (kind) {
    case 'assign':
      return {
        ...base,
        kind: 'assign',
        assignments: parseAssignments(body.assign, base.path, ctx),
      };
    case 'call':
      return parseCall(body, base, ctx);
    case 'switch':
      return { ...base, kind: 'switch', cases: parseSwitch(body.switch, base.path, ctx) };
    case 'steps':
      return { ...base, kind: 'steps', body: parseStepList(body.steps, `${base.path}.steps`, ctx) };
    case 'for':
      return { ...base, kind: 'for', loop: parseFor(body.for, `${base.path}.for`, ctx) };
    case 'parallel':
      return { ...base, ...parseParallel(body.parallel, `${base.path}.parallel`, ctx) };
    case 'try':
      return { ...base, ...parseTry(body, base.path, ctx) };
    case 'raise':
    case 'return':
      if (base.next) throw invalid(`${kind} cannot have next`, base.path);
      return { ...base, kind, value: ctx.template(body[kind], base.path) };
    default:
      return { ...base, kind: 'jump' };
  }
}

function parseNext(value: unknown, path: string, ctx: ParseContext): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw invalid('next must be a step name', path);
  if (value.includes('${')) throw unsupported('next with an expression', path);
  if (!CONTROL_JUMPS.has(value)) ctx.jumps.push({ target: value, path });
  return value;
}

function parseAssignments(value: unknown, path: string, ctx: ParseContext) {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid('assign must be a non-empty list', path);
  }
  return value.map((entry) => {
    if (!isMap(entry) || Object.keys(entry).length !== 1) {
      throw invalid('each assignment must be a map with one key', path);
    }
    const [target, inner] = Object.entries(entry)[0] as [string, unknown];
    return { target: parseAssignTarget(target, path), value: ctx.template(inner, path) };
  });
}

function parseCall(
  body: WorkflowMap,
  base: { name: string; path: string; next?: string },
  ctx: ParseContext,
): Step {
  const target = body.call;
  if (typeof target !== 'string') throw invalid('call must name a function', base.path);
  if (body.args !== undefined && !isMap(body.args)) throw invalid('args must be a map', base.path);
  checkCallArgs(target, body.args, base.path, ctx);
  const result = body.result;
  if (result !== undefined && (typeof result !== 'string' || !/^[A-Za-z_]\w*$/.test(result))) {
    throw invalid('result must be a variable name', base.path);
  }
  return { ...base, kind: 'call', target, args: ctx.template(body.args ?? {}, base.path), result };
}

function checkCallArgs(
  target: string,
  args: WorkflowMap | undefined,
  path: string,
  ctx: ParseContext,
) {
  const signature = CALL_TARGETS[target] ?? ctx.subworkflows.get(target);
  if (!signature) throw unsupported(`call ${target}`, path);
  const accepted = 'args' in signature ? signature.args : signature.params;
  const stray = Object.keys(args ?? {}).find((arg) => !accepted.includes(arg));
  if (stray) throw unsupported(`${target} argument ${stray}`, path);
  const missing = signature.required.find((arg) => !args || !(arg in args));
  if (missing) throw invalid(`${target} requires argument ${missing}`, path);
  if (target.startsWith('http.') && args?.auth !== undefined) checkAuth(args.auth, path);
}

const AUTH_KEYS: Record<string, string[]> = {
  OIDC: ['type', 'audience'],
  OAuth2: ['type', 'scopes'],
};

/**
 * An `http.*` call's `auth`: a map with `type` OIDC (optional `audience`) or OAuth2 (optional
 * `scopes`), or one expression checked when it runs. Anything else is refused here.
 */
function checkAuth(auth: unknown, path: string): void {
  if (typeof auth === 'string' && isExpressionText(auth)) return;
  if (!isMap(auth)) throw invalid('auth must be a map', path);
  onlyKeys(auth, ['type', 'audience', 'scopes'], `${path}.auth`);
  if (auth.type === undefined) throw invalid('auth needs a type (OIDC or OAuth2)', path);
  if (typeof auth.type === 'string' && isExpressionText(auth.type)) return;
  const type = typeof auth.type === 'string' ? auth.type : JSON.stringify(auth.type);
  const allowed = AUTH_KEYS[type];
  if (!allowed) throw unsupported(`auth type ${JSON.stringify(type)} (OIDC or OAuth2)`, path);
  const stray = Object.keys(auth).find((key) => !allowed.includes(key));
  if (stray) throw unsupported(`${stray} with auth type ${type}`, path);
}

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

function parseExcept(value: unknown, path: string, ctx: ParseContext): TryStep['except'] {
  if (!isMap(value)) throw invalid('except must be a map', path);
  onlyKeys(value, ['as', 'steps'], path);
  const as = value.as === undefined ? undefined : variableName(value.as, 'except as', path);
  return { as, body: parseStepList(value.steps, `${path}.steps`, ctx) };
}

/**
 * Parses and validates Cloud Workflows YAML. Anything the local interpreter cannot run is
 * refused here, before any step runs, with `WORKFLOW.UNSUPPORTED`; malformed definitions
 * with `WORKFLOW.INVALID`.
 */
export function parseWorkflow(yamlText: string, source = 'workflow'): WorkflowProgram {
  const definitions = readDefinitions(yamlText, source);
  const signatures = new Map(
    Object.entries(definitions).map(([name, body]) => [name, signature(name, body)]),
  );
  const root = new ParseContext(signatures);
  const subworkflows = new Map<string, Subworkflow>();
  for (const [name, body] of Object.entries(definitions)) {
    subworkflows.set(name, parseSubworkflow(name, body, root.forSubworkflow()));
  }
  return { source, subworkflows };
}

function readDefinitions(yamlText: string, source: string): Record<string, WorkflowMap> {
  let document: unknown;
  try {
    document = parseYaml(yamlText);
  } catch (error) {
    throw invalid(`YAML does not parse: ${(error as Error).message}`, source);
  }
  // A bare list of steps is shorthand for a `main` without parameters.
  if (Array.isArray(document)) return { main: { steps: document } };
  if (!isMap(document) || !isMap(document.main)) {
    throw invalid('a workflow needs a main block or a list of steps', source);
  }
  for (const [name, body] of Object.entries(document)) {
    if (!isMap(body)) throw invalid('a subworkflow must be a map', name);
  }
  return document as Record<string, WorkflowMap>;
}

function signature(name: string, body: WorkflowMap): SubworkflowSignature {
  const params = parseParams(body.params, name);
  return {
    params: params.map((param) => param.name),
    required: params.filter((param) => !param.hasDefault).map((param) => param.name),
  };
}

function parseSubworkflow(name: string, body: WorkflowMap, ctx: ParseContext): Subworkflow {
  const stray = Object.keys(body).find((key) => key !== 'params' && key !== 'steps');
  if (stray) throw unsupported(stray, name);
  const params = parseParams(body.params, name).map(
    ({ name: param, fallback, hasDefault }): Param =>
      hasDefault ? { name: param, fallback: ctx.template(fallback, name) } : { name: param },
  );
  if (name === 'main' && params.length > 1) throw invalid('main takes at most one parameter', name);
  const steps = parseStepList(body.steps, `${name}.steps`, ctx);
  const missing = ctx.jumps.find((jump) => !ctx.stepNames.has(jump.target));
  if (missing) throw invalid(`next refers to unknown step "${missing.target}"`, missing.path);
  return { name, params, steps };
}

function parseParams(value: unknown, path: string) {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid('params must be a list', path);
  return value.map((entry) => {
    if (typeof entry === 'string') return { name: entry, hasDefault: false, fallback: undefined };
    if (isMap(entry) && Object.keys(entry).length === 1) {
      const [name, fallback] = Object.entries(entry)[0] as [string, unknown];
      return { name, hasDefault: true, fallback };
    }
    throw invalid('a parameter is a name or a one-key map with its default', path);
  });
}

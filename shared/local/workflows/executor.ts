import pLimit from 'p-limit';
import { callConnector } from './connectors.js';
import {
  runtimeError,
  throwIfCancelled,
  CancelledError,
  unsupported,
  WorkflowError,
} from './errors.js';
import { evaluate } from './expressions/evaluate.js';
import type {
  AssignTarget,
  LoopSpec,
  ParallelStep,
  StepList,
  CallStep,
  Step,
  SwitchStep,
  TryStep,
  Subworkflow,
  WorkflowProgram,
} from './program.js';
import { withRetry } from './retry.js';
import {
  evalContext,
  type Frame,
  renderIn,
  type Outcome,
  Scope,
  type WorkflowEnvironment,
  type Runtime,
} from './runtime.js';
import {
  isMap,
  typeName,
  expectList,
  expectNumber,
  copyValue,
  expectBoolean,
  expectMap,
  type WorkflowMap,
} from './values.js';

type Key = string | number;

/**
 * Assigns `value` to `a`, `a.b`, `a[0]` or `m["k"]`. Missing map keys along the way are
 * created as empty maps; list indexes must already exist.
 */
export function assignTo(target: AssignTarget, value: unknown, frame: Frame): void {
  if (target.accessors.length === 0) {
    frame.scope.set(target.root, value);
    return;
  }
  const context = evalContext(frame);
  const keys: Key[] = target.accessors.map((accessor) =>
    accessor.kind === 'field' ? accessor.name : toKey(evaluate(accessor.index, context)),
  );
  const root = frame.scope.get(target.root);
  // Writing through the root also checks that a parallel branch may write it.
  frame.scope.set(target.root, root);
  let container = root;
  for (const key of keys.slice(0, -1)) container = child(container, key);
  put(container, keys[keys.length - 1] as Key, value);
}

function toKey(index: unknown): Key {
  if (typeof index === 'string' || (typeof index === 'number' && Number.isInteger(index))) {
    return index;
  }
  throw runtimeError('TypeError', `cannot use ${typeName(index)} as a key or index`);
}

function child(container: unknown, key: Key): unknown {
  if (Array.isArray(container)) return container[checkedIndex(container, key)];
  const map = checkedMap(container, key);
  const name = String(key);
  if (!Object.hasOwn(map, name)) map[name] = {};
  return map[name];
}

function put(container: unknown, key: Key, value: unknown): void {
  if (Array.isArray(container)) {
    container[checkedIndex(container, key)] = value;
    return;
  }
  checkedMap(container, key)[String(key)] = value;
}

function checkedIndex(list: unknown[], key: Key): number {
  if (typeof key !== 'number')
    throw runtimeError('TypeError', `list index must be an integer: ${key}`);
  if (key < 0 || key >= list.length)
    throw runtimeError('IndexError', `list index out of range: ${key}`);
  return key;
}

function checkedMap(container: unknown, key: Key): Record<string, unknown> {
  if (!isMap(container)) {
    throw runtimeError('TypeError', `cannot set "${key}" on ${typeName(container)}`);
  }
  if (typeof key !== 'string') throw runtimeError('TypeError', `map key must be a string: ${key}`);
  return container;
}

/** The values a loop visits: the `in:` list, or `range: [from, to]` inclusive, step 1. */
export function loopItems(spec: LoopSpec, frame: Frame): unknown[] {
  if (spec.source.kind === 'in') return expectList(renderIn(frame, spec.source.list), 'for in');
  const from = expectNumber(renderIn(frame, spec.source.from), 'range start');
  const to = expectNumber(renderIn(frame, spec.source.to), 'range end');
  const items: number[] = [];
  for (let value = from; value <= to; value += 1) items.push(value);
  return items;
}

/** A fresh scope for one iteration: variables created inside do not outlive it. */
export function iterationScope(
  spec: LoopSpec,
  parent: Scope,
  item: unknown,
  index: number,
  shared?: ReadonlySet<string>,
): Scope {
  const scope = new Scope(parent, shared);
  scope.define(spec.value, item);
  if (spec.index) scope.define(spec.index, index);
  return scope;
}

/** Runs a sequential `for` loop; `break` and `continue` stop here, `return`/`end` pass up. */
export async function runFor(spec: LoopSpec, frame: Frame, path: string): Promise<Outcome> {
  const items = loopItems(spec, frame);
  for (const [index, item] of items.entries()) {
    throwIfCancelled(frame.signal);
    const scope = iterationScope(spec, frame.scope, item, index);
    const outcome = await frame.rt.runSteps(spec.body, { ...frame, scope });
    if (outcome.kind === 'break') break;
    if (outcome.kind === 'jump')
      throw unsupported(`next ${outcome.target} out of a for loop`, path);
    if (outcome.kind === 'return' || outcome.kind === 'end') return outcome;
  }
  return { kind: 'next' };
}

interface Branch {
  id: string;
  body: StepList;
  scope: Scope;
}

/**
 * Runs branches or iterations concurrently (at most `concurrency_limit` at once). Only
 * `shared` variables may be written in the enclosing scope. By default the first unhandled
 * error cancels the others and is raised; with `continueAll` all run and the errors are
 * raised together as an UnhandledBranchError.
 */
export async function runParallel(step: ParallelStep, frame: Frame): Promise<Outcome> {
  const missing = step.shared.find((name) => !frame.scope.has(name));
  if (missing) throw runtimeError('KeyError', `shared variable not defined: ${missing}`);
  const branches = plan(step, frame, new Set(step.shared));
  const abort = new AbortController();
  const signal = AbortSignal.any([frame.signal, abort.signal]);
  const limit = pLimit(step.concurrencyLimit ?? Number.POSITIVE_INFINITY);
  const failures: { id: string; error: unknown }[] = [];
  const runBranch = async (branch: Branch) => {
    try {
      const outcome = await frame.rt.runSteps(branch.body, {
        ...frame,
        scope: branch.scope,
        signal,
      });
      checkOutcome(outcome, step.path);
    } catch (error) {
      if (error instanceof CancelledError && abort.signal.aborted) return;
      failures.push({ id: branch.id, error });
      if (!step.continueAll || !(error instanceof WorkflowError)) abort.abort();
    }
  };
  await Promise.all(branches.map((branch) => limit(() => runBranch(branch))));
  if (frame.signal.aborted) throw new CancelledError();
  raiseFailures(failures, step.continueAll);
  return { kind: 'next' };
}

function plan(step: ParallelStep, frame: Frame, shared: ReadonlySet<string>): Branch[] {
  if (step.branches) {
    return step.branches.map(({ name, body }) => ({
      id: name,
      body,
      scope: new Scope(frame.scope, shared),
    }));
  }
  const loop = step.loop;
  if (!loop) return [];
  return loopItems(loop, frame).map((item, index) => ({
    id: String(index),
    body: loop.body,
    scope: iterationScope(loop, frame.scope, item, index, shared),
  }));
}

function checkOutcome(outcome: Outcome, path: string): void {
  if (outcome.kind === 'next' || outcome.kind === 'continue' || outcome.kind === 'end') return;
  const what = outcome.kind === 'jump' ? `next ${outcome.target}` : outcome.kind;
  throw unsupported(`${what} inside a parallel branch`, path);
}

function raiseFailures(failures: { id: string; error: unknown }[], continueAll: boolean): void {
  const first = failures[0];
  if (!first) return;
  if (!continueAll || !failures.every((failure) => failure.error instanceof WorkflowError)) {
    throw first.error;
  }
  throw new WorkflowError({
    message: 'UnhandledBranchError: one or more branches or iterations raised an unhandled error',
    tags: ['UnhandledBranchError'],
    branches: failures.map(({ id, error }) => ({ id, error: (error as WorkflowError).payload })),
    truncated: false,
  });
}

/** Cloud Workflows' limit on steps executed by one execution. */
export const MAX_STEPS = 100_000;
const NEXT: Outcome = { kind: 'next' };

/** Runs a list of steps in order, following `next:` jumps to steps of this list. */
export async function runSteps(list: StepList, frame: Frame): Promise<Outcome> {
  for (let i = 0; i < list.steps.length;) {
    const outcome = await runStepWithNext(list.steps[i] as Step, frame);
    if (outcome.kind === 'next') {
      i += 1;
    } else if (outcome.kind === 'jump' && list.positions.has(outcome.target)) {
      i = list.positions.get(outcome.target) as number;
    } else {
      return outcome;
    }
  }
  return NEXT;
}

/** Runs one step, then applies its own `next:` if it finished normally. */
export async function runStepWithNext(step: Step, frame: Frame): Promise<Outcome> {
  throwIfCancelled(frame.signal);
  frame.rt.stepsRun += 1;
  if (frame.rt.stepsRun > MAX_STEPS) {
    throw runtimeError('ResourceLimitError', `more than ${MAX_STEPS} steps executed`);
  }
  let outcome: Outcome;
  try {
    outcome = await runStep(step, frame);
  } catch (error) {
    if (error instanceof WorkflowError) error.stepPath ??= step.path;
    throw error;
  }
  if (outcome.kind !== 'next' || !step.next) return outcome;
  return nextOutcome(step.next);
}

function nextOutcome(next: string): Outcome {
  if (next === 'end' || next === 'break' || next === 'continue') return { kind: next };
  return { kind: 'jump', target: next };
}

async function runStep(step: Step, frame: Frame): Promise<Outcome> {
  switch (step.kind) {
    case 'assign':
      for (const { target, value } of step.assignments) {
        assignTo(target, copyValue(renderIn(frame, value)), frame);
      }
      return NEXT;
    case 'call':
      return runCall(step, frame);
    case 'switch':
      return runSwitch(step, frame);
    case 'steps':
      return runSteps(step.body, frame);
    case 'for':
      return runFor(step.loop, frame, step.path);
    case 'parallel':
      return runParallel(step, frame);
    case 'try':
      return runTry(step, frame);
    case 'raise':
      throw new WorkflowError(copyValue(renderIn(frame, step.value)));
    case 'return':
      return { kind: 'return', value: copyValue(renderIn(frame, step.value)) };
    case 'jump':
      return NEXT;
  }
}

async function runCall(step: CallStep, frame: Frame): Promise<Outcome> {
  const args = expectMap(renderIn(frame, step.args), 'args');
  const result = frame.rt.program.subworkflows.has(step.target)
    ? await frame.rt.callSubworkflow(step.target, args, frame)
    : await callConnector(step.target, args, frame);
  if (step.result) frame.scope.set(step.result, copyValue(result));
  return NEXT;
}

async function runSwitch(step: SwitchStep, frame: Frame): Promise<Outcome> {
  const context = evalContext(frame);
  for (const { condition, body } of step.cases) {
    if (expectBoolean(evaluate(condition, context), 'switch condition')) {
      return runStepWithNext(body, frame);
    }
  }
  return NEXT;
}

async function runTry(step: TryStep, frame: Frame): Promise<Outcome> {
  const attempt = () => runStepWithNext(step.body, frame);
  try {
    return await (step.retry ? withRetry(step.retry, frame, attempt) : attempt());
  } catch (error) {
    if (!(error instanceof WorkflowError) || !step.except) throw error;
    if (step.except.as) frame.scope.set(step.except.as, copyValue(error.payload));
    return runSteps(step.except.body, frame);
  }
}

/** How deep subworkflow calls may nest before a RecursionError. */
export const MAX_CALL_DEPTH = 20;

/**
 * Runs `main` with `argument` as its single parameter and resolves to what it returns.
 * A raised value rejects with a WorkflowError carrying it; cancellation via `signal` rejects
 * with a CancelledError at the next step or sleep.
 */
export async function runWorkflow(
  program: WorkflowProgram,
  argument: unknown,
  environment: WorkflowEnvironment,
  signal: AbortSignal = new AbortController().signal,
): Promise<unknown> {
  const rt: Runtime = { program, environment, stepsRun: 0, runSteps, callSubworkflow };
  const main = program.subworkflows.get('main');
  if (!main) throw runtimeError('KeyError', 'workflow has no main');
  const args = main.params[0] ? { [main.params[0].name]: argument ?? null } : {};
  const frame: Frame = { rt, scope: new Scope(), signal, depth: 0 };
  return callSubworkflow('main', args, frame);
}

/** Calls a subworkflow by name with named arguments in a fresh scope. */
async function callSubworkflow(name: string, args: WorkflowMap, caller: Frame): Promise<unknown> {
  const sub = caller.rt.program.subworkflows.get(name);
  if (!sub) throw runtimeError('KeyError', `subworkflow not found: ${name}`);
  if (caller.depth >= MAX_CALL_DEPTH) {
    throw runtimeError('RecursionError', `subworkflow calls nested deeper than ${MAX_CALL_DEPTH}`);
  }
  const frame: Frame = { ...caller, scope: new Scope(), depth: caller.depth + 1 };
  bindParams(sub, args, frame);
  const outcome = await runSteps(sub.steps, frame);
  switch (outcome.kind) {
    case 'return':
      return outcome.value;
    case 'next':
    case 'end':
      return null;
    case 'jump':
      throw unsupported(`next ${outcome.target} across blocks`, name);
    default:
      throw unsupported(`${outcome.kind} outside a for loop`, name);
  }
}

function bindParams(sub: Subworkflow, args: WorkflowMap, frame: Frame): void {
  const stray = Object.keys(args).find((arg) => !sub.params.some((param) => param.name === arg));
  if (stray) throw runtimeError('TypeError', `${sub.name}() got an unexpected argument ${stray}`);
  for (const param of sub.params) {
    if (Object.hasOwn(args, param.name)) {
      frame.scope.define(param.name, copyValue(args[param.name]));
    } else if (param.fallback) {
      frame.scope.define(param.name, renderIn(frame, param.fallback));
    } else {
      throw runtimeError('TypeError', `${sub.name}() is missing argument ${param.name}`);
    }
  }
}

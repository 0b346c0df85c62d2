import { parseAssignTarget } from './assign-target.js';
import { CALL_TARGETS } from './connectors/catalog.js';
import { parseFor, parseParallel, parseSwitch, parseTry } from './parse-blocks.js';
import type { ParseContext } from './parse-context.js';
import { invalid, unsupported } from './parse-errors.js';
import type { Step, StepList } from './program.js';
import { isMap, type WorkflowMap } from './values.js';

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
}

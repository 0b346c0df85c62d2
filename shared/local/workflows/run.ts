import { runtimeError } from './errors.js';
import type { WorkflowEnvironment } from './environment.js';
import { runSteps } from './executor.js';
import { unsupported } from './parse-errors.js';
import type { Subworkflow, WorkflowProgram } from './program.js';
import { renderIn, type Frame, type Runtime } from './runtime.js';
import { Scope } from './scope.js';
import { copyValue, type WorkflowMap } from './values.js';

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

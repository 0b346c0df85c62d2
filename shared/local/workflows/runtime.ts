import type { EvalContext } from './expressions/evaluator.js';
import { render, type Template } from './expressions/template.js';
import { builtinEnvVariables, type WorkflowEnvironment } from './environment.js';
import type { StepList, WorkflowProgram } from './program.js';
import type { Scope } from './scope.js';
import { callStdFunction } from './stdlib/index.js';
import type { WorkflowMap } from './values.js';

/** How a step or a list of steps finished. */
export type Outcome =
  | { kind: 'next' }
  | { kind: 'jump'; target: string }
  | { kind: 'break' }
  | { kind: 'continue' }
  | { kind: 'end' }
  | { kind: 'return'; value: unknown };

/** One execution: the program, the outside world and the step runners. */
export interface Runtime {
  program: WorkflowProgram;
  environment: WorkflowEnvironment;
  /** Steps run so far, against Cloud Workflows' per-execution limit. */
  stepsRun: number;
  runSteps(list: StepList, frame: Frame): Promise<Outcome>;
  callSubworkflow(name: string, args: WorkflowMap, frame: Frame): Promise<unknown>;
}

/** Where a step runs: its variables, its cancellation signal and the call depth. */
export interface Frame {
  rt: Runtime;
  scope: Scope;
  signal: AbortSignal;
  depth: number;
}

/** The expression context for a frame: its variables and the standard library. */
export function evalContext(frame: Frame): EvalContext {
  const { environment } = frame.rt;
  const host = {
    now: () => environment.now(),
    env: builtinEnvVariables(environment),
  };
  return {
    variable: (name) => frame.scope.get(name),
    call: (name, args) => callStdFunction(name, args, host),
  };
}

/** Evaluates a template in a frame. */
export function renderIn(frame: Frame, template: Template): unknown {
  return render(template, evalContext(frame));
}

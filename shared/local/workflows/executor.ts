import { assignTo } from './assign.js';
import { callConnector } from './connectors/index.js';
import { runtimeError, throwIfCancelled, WorkflowError } from './errors.js';
import { evaluate } from './expressions/evaluator.js';
import { runFor } from './loop.js';
import { runParallel } from './parallel.js';
import type { CallStep, Step, StepList, SwitchStep, TryStep } from './program.js';
import { withRetry } from './retry.js';
import { evalContext, renderIn, type Frame, type Outcome } from './runtime.js';
import { copyValue, expectBoolean, expectMap } from './values.js';

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

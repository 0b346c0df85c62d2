import pLimit from 'p-limit';
import { CancelledError, runtimeError, WorkflowError } from './errors.js';
import { iterationScope, loopItems } from './loop.js';
import { unsupported } from './parse-errors.js';
import type { ParallelStep, StepList } from './program.js';
import type { Frame, Outcome } from './runtime.js';
import { Scope } from './scope.js';

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

import { throwIfCancelled } from './errors.js';
import { unsupported } from './parse-errors.js';
import type { LoopSpec } from './program.js';
import { renderIn, type Frame, type Outcome } from './runtime.js';
import { Scope } from './scope.js';
import { expectList, expectNumber } from './values.js';

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

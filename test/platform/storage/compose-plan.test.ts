import { describe, expect, it } from 'vitest';
import {
  composeTempPrefix,
  MAX_COMPOSE_SOURCES,
  planCompose,
  type ComposePlan,
} from '../../../shared/platform/ports/compose-plan.js';

/** Runs a plan on strings: each step's target becomes the concatenation of its sources. */
function execute(plan: ComposePlan, sources: string[]): Map<string, string> {
  const objects = new Map(sources.map((name) => [name, `[${name}]`]));
  for (const round of plan.rounds) {
    for (const step of round) {
      objects.set(step.target, step.sources.map((s) => objects.get(s)!).join(''));
    }
  }
  return objects;
}

describe('planCompose', () => {
  it.each([
    [1, 1],
    [32, 1],
    [33, 2],
    [70, 2],
    [1024, 2],
    [1025, 3],
    [40_000, 4],
  ])('joins %i sources in %i rounds of at most 32, keeping order', (count, rounds) => {
    const sources = Array.from({ length: count }, (_, i) => `in/${i}`);
    const plan = planCompose(sources, 'out/all');
    expect(plan.rounds).toHaveLength(rounds);
    for (const step of plan.rounds.flat()) {
      expect(step.sources.length).toBeGreaterThan(0);
      expect(step.sources.length).toBeLessThanOrEqual(MAX_COMPOSE_SOURCES);
    }
    const result = execute(plan, sources);
    expect(result.get('out/all')).toBe(sources.map((s) => `[${s}]`).join(''));
  });

  it('names intermediates under a prefix fixed by the destination, and lists each once', () => {
    const sources = Array.from({ length: 70 }, (_, i) => `in/${i}`);
    const plan = planCompose(sources, 'out/all');
    const prefix = composeTempPrefix('out/all');
    expect(planCompose(sources, 'out/all')).toEqual(plan);
    expect(composeTempPrefix('out/other')).not.toBe(prefix);
    const intermediates = [0, 1, 2].map((i) => `${prefix}0-${i}`);
    expect(plan.intermediates).toEqual(intermediates);
    expect(plan.rounds.at(-1)).toEqual([{ sources: intermediates, target: 'out/all' }]);
  });

  it('passes a lone trailing source on without copying it', () => {
    const sources = Array.from({ length: 33 }, (_, i) => `in/${i}`);
    const plan = planCompose(sources, 'out/all');
    expect(plan.intermediates).toHaveLength(1);
    expect(plan.rounds.at(-1)?.[0]?.sources).toEqual([plan.intermediates[0], 'in/32']);
  });
});

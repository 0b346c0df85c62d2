import { createHash } from 'node:crypto';

/** Cloud Storage's limit on the sources of one compose request. */
export const MAX_COMPOSE_SOURCES = 32;

/** One compose request: `sources` joined in order into `target`. */
export interface ComposeStep {
  sources: string[];
  target: string;
}

/** Compose requests in rounds (each round's steps are independent), and the temp names used. */
export interface ComposePlan {
  rounds: ComposeStep[][];
  intermediates: string[];
}

/**
 * Where the intermediates of a compose into `destination` live. Deterministic, so a retried
 * compose overwrites (and then deletes) what a failed attempt left behind.
 */
export function composeTempPrefix(destination: string): string {
  const digest = createHash('sha256').update(destination).digest('hex').slice(0, 32);
  return `.compose-tmp/${digest}/`;
}

/**
 * Plans joining any number of sources with requests of at most `maxSources` each: consecutive
 * groups are joined into intermediates, round after round, until one request can join the
 * rest into the destination. Groups are consecutive, so the order of bytes is kept.
 */
export function planCompose(
  sources: string[],
  destination: string,
  maxSources = MAX_COMPOSE_SOURCES,
): ComposePlan {
  const prefix = composeTempPrefix(destination);
  const rounds: ComposeStep[][] = [];
  const intermediates: string[] = [];
  let current = sources;
  while (current.length > maxSources) {
    const groups = chunk(current, maxSources);
    const targets = groups.map((group, index) =>
      // A lone trailing source needs no copy; it joins the next round as it is.
      group.length === 1 ? group[0]! : `${prefix}${rounds.length}-${index}`,
    );
    const round = groups
      .map((group, index) => ({ sources: group, target: targets[index]! }))
      .filter((step) => step.sources.length > 1);
    rounds.push(round);
    intermediates.push(...round.map((step) => step.target));
    current = targets;
  }
  rounds.push([{ sources: current, target: destination }]);
  return { rounds, intermediates };
}

function chunk<T>(items: T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}

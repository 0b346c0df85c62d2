/**
 * What a replay met besides market data: Betfair's known data faults, lines of other stream
 * operations, heartbeats and malformed lines. Counted, with the first few occurrences kept so a
 * report can say where; never thrown.
 */

export const STREAM_FAULT_KINDS = [
  /** A line that is not JSON, not an object, or has no `op`; the caller quarantines it. */
  'malformedLine',
  /** An `mcm` market change, runner change or ladder entry of the wrong shape; skipped. */
  'malformedChange',
  /** A market changed before any definition of it was seen (a file starting mid-market). */
  'noDefinitionYet',
  /** A runner in `rc` that the market's current definition does not list. */
  'runnerNotInDefinition',
  /** A message with the same `pt` as the market's previous one. */
  'repeatedPt',
  /** A message with a `pt` earlier than the market's previous one. */
  'ptBackwards',
] as const;
export type StreamFaultKind = (typeof STREAM_FAULT_KINDS)[number];

/** One occurrence of a fault. `line` counts from 1 over the lines given to the engine. */
export interface StreamFault {
  kind: StreamFaultKind;
  line: number;
  marketId?: string;
  selectionId?: number;
  detail?: string;
}

/** How many of each thing a replay met. */
export interface StreamCounts {
  /** Lines given, including malformed and empty ones. */
  lines: number;
  /** `mcm` lines carrying market changes. */
  marketMessages: number;
  marketChanges: number;
  /** Runner changes: each entry of an `rc` list is one update. */
  updates: number;
  /** `mcm` lines without changes: live streams' heartbeats (`ct: HEARTBEAT`) and empty deltas. */
  heartbeats: number;
  emptyLines: number;
  /** Lines of other operations by `op`: `ccm` (cricket scores), `rcm` (race positions), … */
  otherOps: Record<string, number>;
  faults: Record<StreamFaultKind, number>;
}

/** Occurrences kept per replay; the counts go on. */
export const FAULT_EXAMPLES_KEPT = 50;

export function newStreamCounts(): StreamCounts {
  const faults = Object.fromEntries(STREAM_FAULT_KINDS.map((kind) => [kind, 0]));
  return {
    lines: 0,
    marketMessages: 0,
    marketChanges: 0,
    updates: 0,
    heartbeats: 0,
    emptyLines: 0,
    otherOps: {},
    faults: faults as Record<StreamFaultKind, number>,
  };
}

/** Counts faults and keeps the first FAULT_EXAMPLES_KEPT of them. */
export class FaultLog {
  readonly examples: StreamFault[] = [];

  constructor(private readonly counts: StreamCounts) {}

  add(fault: StreamFault): void {
    this.counts.faults[fault.kind]++;
    if (this.examples.length < FAULT_EXAMPLES_KEPT) this.examples.push(fault);
  }
}

import { MarketCache } from './market-cache.js';
import { FaultLog, newStreamCounts, type StreamCounts } from './stream-faults.js';
import {
  streamNumber,
  type MarketChange,
  type MarketDefinition,
  type RunnerChange,
} from './stream-message.js';

/** What one line turned out to be. `malformed` lines are the caller's to quarantine. */
export type LineKind = 'market' | 'heartbeat' | 'otherOp' | 'empty' | 'malformed';

/**
 * Watches markets change. Products (runners, snapshots, bars, a market at a moment) are
 * observers: they look at the cache around each change and copy only what they need.
 */
export interface StreamObserver {
  /** Before a market change is applied: the market is still as the previous message left it. */
  beforeChange?(market: MarketCache, change: MarketChange, pt: number): void;
  /** After a market change is applied. */
  afterChange?(market: MarketCache, change: MarketChange, pt: number): void;
  /** The stream has ended; the market is as its last message left it. */
  endOfStream?(market: MarketCache): void;
}

/**
 * Applies Exchange Stream lines to market caches, one market per `mc[].id`. Pure: lines in,
 * caches, counts and faults out; it never throws on input.
 */
export class StreamEngine {
  readonly markets = new Map<string, MarketCache>();
  readonly counts: StreamCounts = newStreamCounts();
  readonly faults = new FaultLog(this.counts);
  /** Why the last `malformed` line was refused. */
  malformedReason: string | undefined = undefined;
  private readonly before: StreamObserver[];
  private readonly after: StreamObserver[];

  constructor(private readonly observers: readonly StreamObserver[] = []) {
    this.before = observers.filter((observer) => observer.beforeChange !== undefined);
    this.after = observers.filter((observer) => observer.afterChange !== undefined);
  }

  /** Parses and applies one NDJSON line (without its line break). */
  applyLine(line: string | Buffer): LineKind {
    const text = typeof line === 'string' ? line : line.toString('utf8');
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (error) {
      this.counts.lines++;
      if (text.trim() === '') {
        this.counts.emptyLines++;
        return 'empty';
      }
      return this.malformed(`not JSON: ${(error as Error).message}`);
    }
    return this.applyMessage(message);
  }

  /** Applies one message already parsed from a line. */
  applyMessage(message: unknown): LineKind {
    this.counts.lines++;
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return this.malformed('not a JSON object');
    }
    const { op, pt, clk, mc } = message as Record<string, unknown>;
    if (typeof op !== 'string') return this.malformed('no "op"');
    if (op !== 'mcm') {
      this.counts.otherOps[op] = (this.counts.otherOps[op] ?? 0) + 1;
      return 'otherOp';
    }
    if (mc === undefined || (Array.isArray(mc) && mc.length === 0)) {
      this.counts.heartbeats++;
      return 'heartbeat';
    }
    if (!Array.isArray(mc)) return this.malformed('"mc" is not a list');
    if (typeof pt !== 'number' || !Number.isFinite(pt)) return this.malformed('no numeric "pt"');
    this.counts.marketMessages++;
    const clock = typeof clk === 'string' ? clk : undefined;
    for (const change of mc as unknown[]) this.applyChange(change, pt, clock);
    return 'market';
  }

  /** Ends the stream: every observer sees each market's final state. */
  finish(): void {
    for (const observer of this.observers) {
      if (observer.endOfStream === undefined) continue;
      for (const market of this.markets.values()) observer.endOfStream(market);
    }
  }

  private applyChange(value: unknown, pt: number, clk: string | undefined): void {
    const line = this.counts.lines;
    if (
      typeof value !== 'object' ||
      value === null ||
      typeof (value as MarketChange).id !== 'string'
    ) {
      this.faults.add({ kind: 'malformedChange', line, detail: 'market change without an id' });
      return;
    }
    const change = value as MarketChange;
    const marketId = change.id;
    this.counts.marketChanges++;
    let market = this.markets.get(marketId);
    if (market === undefined) {
      market = new MarketCache(marketId);
      this.markets.set(marketId, market);
    } else if (market.pt !== undefined && pt <= market.pt) {
      this.faults.add({ kind: pt === market.pt ? 'repeatedPt' : 'ptBackwards', line, marketId });
    }
    for (const observer of this.before) observer.beforeChange?.(market, change, pt);

    if (change.img === true) market.reset();
    const definition = change.marketDefinition;
    if (definition !== undefined) {
      if (isDefinition(definition)) market.replaceDefinition(definition);
      else this.faults.add({ kind: 'malformedChange', line, marketId, detail: 'marketDefinition' });
    }
    if (market.definition === undefined && !market.reportedNoDefinition) {
      market.reportedNoDefinition = true;
      this.faults.add({ kind: 'noDefinitionYet', line, marketId });
    }
    const rc = change.rc;
    if (rc !== undefined) {
      if (Array.isArray(rc)) this.applyRunnerChanges(market, rc, line);
      else
        this.faults.add({ kind: 'malformedChange', line, marketId, detail: '"rc" is not a list' });
    }
    if (change.tv !== undefined) market.tv = streamNumber(change.tv);
    market.pt = pt;
    market.clk = clk;
    for (const observer of this.after) observer.afterChange?.(market, change, pt);
  }

  private applyRunnerChanges(market: MarketCache, changes: unknown[], line: number): void {
    const marketId = market.marketId;
    const hasDefinition = market.definition !== undefined;
    for (let i = 0; i < changes.length; i++) {
      const change = changes[i] as RunnerChange | null | undefined;
      if (typeof change !== 'object' || change === null || typeof change.id !== 'number') {
        this.faults.add({ kind: 'malformedChange', line, marketId, detail: 'runner change' });
        continue;
      }
      const hc = typeof change.hc === 'number' ? change.hc : undefined;
      const runner = market.runnerOrCreate(change.id, hc);
      const bad = runner.apply(change);
      if (bad > 0) {
        const detail = `${bad} unusable ladder entries`;
        this.faults.add({
          kind: 'malformedChange',
          line,
          marketId,
          selectionId: change.id,
          detail,
        });
      }
      if (
        hasDefinition &&
        runner.definitionRunner === undefined &&
        !runner.reportedNotInDefinition
      ) {
        runner.reportedNotInDefinition = true;
        this.faults.add({ kind: 'runnerNotInDefinition', line, marketId, selectionId: change.id });
      }
    }
    market.updates += changes.length;
    this.counts.updates += changes.length;
  }

  private malformed(reason: string): LineKind {
    this.malformedReason = reason;
    this.faults.add({ kind: 'malformedLine', line: this.counts.lines, detail: reason });
    return 'malformed';
  }
}

function isDefinition(value: unknown): value is MarketDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const { status, runners } = value as Record<string, unknown>;
  return (
    typeof status === 'string' &&
    Array.isArray(runners) &&
    runners.every(
      (runner) =>
        typeof runner === 'object' &&
        runner !== null &&
        typeof (runner as { id?: unknown }).id === 'number',
    )
  );
}

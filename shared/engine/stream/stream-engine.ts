import { MarketCache, type RunnerCache } from './market-cache.js';
import * as scannerTape from './mcm-scanner.js';
import { FaultLog, newStreamCounts, type StreamCounts } from './stream-faults.js';
import {
  streamNumber,
  type MarketChange,
  type MarketDefinition,
  type RunnerChange,
} from './stream-message.js';

// Read once into module constants: imported bindings can cost a call per read in hot loops.
const { HC_BIT, McmScanner, R_HC, R_ID, R_PRESENT, RUNNER_STRIDE } = scannerTape;

/** What one line turned out to be. `malformed` lines are the caller's to quarantine. */
export type LineKind = 'market' | 'heartbeat' | 'otherOp' | 'empty' | 'malformed';

/**
 * What observers are told of a change: its market, and whether it replaces the whole market
 * (`img`) or the definition. Its runner changes are already in the cache when observers look.
 */
export type ChangeHeader = Pick<MarketChange, 'id' | 'img' | 'marketDefinition'>;

/**
 * Watches markets change. Products (runners, snapshots, bars, a market at a moment) are
 * observers: they look at the cache around each change and copy only what they need.
 */
export interface StreamObserver {
  /** Before a market change is applied: the market is still as the previous message left it. */
  beforeChange?(market: MarketCache, change: ChangeHeader, pt: number): void;
  /** After a market change is applied. */
  afterChange?(market: MarketCache, change: ChangeHeader, pt: number): void;
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
  private readonly scanner: scannerTape.McmScanner = new McmScanner();
  private lineBytes: Buffer = Buffer.alloc(0);
  private readonly before: StreamObserver[];
  private readonly after: StreamObserver[];

  constructor(private readonly observers: readonly StreamObserver[] = []) {
    this.before = observers.filter((observer) => observer.beforeChange !== undefined);
    this.after = observers.filter((observer) => observer.afterChange !== undefined);
  }

  /** Parses and applies one NDJSON line (without its line break). */
  applyLine(line: string | Buffer): LineKind {
    if (typeof line !== 'string' && this.scanner.scan(line)) {
      this.counts.lines++;
      this.lineBytes = line;
      this.applyTape();
      return 'market';
    }
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
    const market = this.openChange(change, pt);
    const rc = change.rc;
    let updates = 0;
    if (Array.isArray(rc)) {
      updates = rc.length;
      for (let i = 0; i < rc.length; i++) this.applyRunnerChange(market, rc[i]);
    } else if (rc !== undefined) {
      const detail = '"rc" is not a list';
      this.faults.add({ kind: 'malformedChange', line, marketId: market.marketId, detail });
    }
    const tv = change.tv === undefined ? undefined : streamNumber(change.tv);
    this.closeChange(market, change, pt, clk, tv, updates);
  }

  private applyRunnerChange(market: MarketCache, value: unknown): void {
    const change = value as RunnerChange | null | undefined;
    const line = this.counts.lines;
    const marketId = market.marketId;
    if (typeof change !== 'object' || change === null || typeof change.id !== 'number') {
      this.faults.add({ kind: 'malformedChange', line, marketId, detail: 'runner change' });
      return;
    }
    const hc = typeof change.hc === 'number' ? change.hc : undefined;
    const bad = this.changedRunner(market, change.id, hc).apply(change);
    if (bad > 0) {
      const detail = `${bad} unusable ladder entries`;
      this.faults.add({ kind: 'malformedChange', line, marketId, selectionId: change.id, detail });
    }
  }

  /** Applies a line the scanner accepted, change by change, as applyChange does. */
  private applyTape(): void {
    const tape = this.scanner;
    this.counts.marketMessages++;
    for (let c = 0; c < tape.changeCount; c++) {
      const start = tape.changeDefinitionStart[c] as number;
      const header: ChangeHeader = { id: tape.changeIds[c] as string };
      if (tape.changeImg[c] === 1) header.img = true;
      if (start >= 0) {
        const text = this.lineBytes.toString('utf8', start, tape.changeDefinitionEnd[c]);
        header.marketDefinition = JSON.parse(text) as MarketDefinition;
      }
      const market = this.openChange(header, tape.pt);
      const first = tape.changeRunnerFirst[c] as number;
      const count = tape.changeRunnerCount[c] as number;
      const records = tape.runners;
      for (let r = first; r < first + count; r++) {
        const base = r * RUNNER_STRIDE;
        const hc =
          (records[base + R_PRESENT] as number) & HC_BIT ? records[base + R_HC] : undefined;
        const runner = this.changedRunner(market, records[base + R_ID] as number, hc);
        runner.applyRecord(records, base, tape.numbers);
      }
      const tv = tape.changeHasTv[c] === 1 ? tape.changeTv[c] : undefined;
      this.closeChange(market, header, tape.pt, tape.clk, tv, count);
    }
  }

  /** The first steps of every change: the market, pt faults, observers, image, definition. */
  private openChange(header: ChangeHeader, pt: number): MarketCache {
    const line = this.counts.lines;
    const marketId = header.id;
    this.counts.marketChanges++;
    let market = this.markets.get(marketId);
    if (market === undefined) {
      market = new MarketCache(marketId);
      this.markets.set(marketId, market);
    } else if (market.pt !== undefined && pt <= market.pt) {
      this.faults.add({ kind: pt === market.pt ? 'repeatedPt' : 'ptBackwards', line, marketId });
    }
    for (const observer of this.before) observer.beforeChange?.(market, header, pt);
    if (header.img === true) market.reset();
    const definition = header.marketDefinition;
    if (definition !== undefined) {
      if (isDefinition(definition)) market.replaceDefinition(definition);
      else this.faults.add({ kind: 'malformedChange', line, marketId, detail: 'marketDefinition' });
    }
    if (market.definition === undefined && !market.reportedNoDefinition) {
      market.reportedNoDefinition = true;
      this.faults.add({ kind: 'noDefinitionYet', line, marketId });
    }
    return market;
  }

  /** The runner a change names, reported once if the market's definition does not list it. */
  private changedRunner(market: MarketCache, id: number, hc: number | undefined): RunnerCache {
    const runner = market.runnerOrCreate(id, hc);
    if (
      runner.definitionRunner === undefined &&
      market.definition !== undefined &&
      !runner.reportedNotInDefinition
    ) {
      runner.reportedNotInDefinition = true;
      const line = this.counts.lines;
      this.faults.add({
        kind: 'runnerNotInDefinition',
        line,
        marketId: market.marketId,
        selectionId: id,
      });
    }
    return runner;
  }

  private closeChange(
    market: MarketCache,
    header: ChangeHeader,
    pt: number,
    clk: string | undefined,
    tv: number | undefined,
    updates: number,
  ): void {
    if (tv !== undefined) market.tv = tv;
    market.pt = pt;
    market.clk = clk;
    market.updates += updates;
    this.counts.updates += updates;
    for (const observer of this.after) observer.afterChange?.(market, header, pt);
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

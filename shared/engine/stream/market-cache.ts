import {
  applyLevelNumbers,
  applyLevelTriples,
  applyPriceNumbers,
  applyPricePairs,
  newLevelLadder,
  type LevelLadder,
  PriceLadder,
} from './ladders.js';
import {
  runnerKey,
  streamNumber,
  type DefinitionRunner,
  type MarketDefinition,
  type RunnerChange,
} from './stream-message.js';
import * as scannerTape from './mcm-scanner.js';

// Read once into module constants: imported bindings can cost a call per read in hot loops.
const { PRICE_LADDER_COUNT, R_LADDER_COUNT, R_LADDER_OFFSET, R_PRESENT, R_SCALARS, TRADED_LADDER } =
  scannerTape;

/** One runner's state: every ladder and scalar the stream has set, as of the last change. */
export class RunnerCache {
  readonly atb: PriceLadder = new PriceLadder();
  readonly atl: PriceLadder = new PriceLadder();
  readonly trd: PriceLadder = new PriceLadder();
  readonly spb: PriceLadder = new PriceLadder();
  readonly spl: PriceLadder = new PriceLadder();
  readonly batb: LevelLadder = newLevelLadder();
  readonly batl: LevelLadder = newLevelLadder();
  readonly bdatb: LevelLadder = newLevelLadder();
  readonly bdatl: LevelLadder = newLevelLadder();
  /** Scalars; undefined until the stream sets them, NaN where it wrote "NaN". */
  ltp: number | undefined = undefined;
  tv: number | undefined = undefined;
  spn: number | undefined = undefined;
  spf: number | undefined = undefined;
  /** True once any `trd` arrived: traded volume then comes from the ladder, not `tv`. */
  hasTradedLadder = false;
  /** Its entry in the market's current definition; undefined while the definition omits it. */
  definitionRunner: DefinitionRunner | undefined = undefined;
  /** Set when its absence from the definition has been reported, so it is reported once. */
  reportedNotInDefinition = false;

  /** The ladders in the order of the scanner's LADDER_FIELDS. */
  private readonly priceLadders = [this.atb, this.atl, this.trd, this.spb, this.spl];
  private readonly levelLadders = [this.batb, this.batl, this.bdatb, this.bdatl];

  constructor(
    readonly selectionId: number,
    readonly handicap: number,
  ) {}

  /** Applies one runner record of an McmScanner tape: the same change as `apply`, unboxed. */
  applyRecord(records: Float64Array, base: number, numbers: Float64Array): void {
    const present = records[base + R_PRESENT] as number;
    if (present !== 0) {
      if (present & 1) this.ltp = records[base + R_SCALARS];
      if (present & 2) this.tv = records[base + R_SCALARS + 1];
      if (present & 4) this.spn = records[base + R_SCALARS + 2];
      if (present & 8) this.spf = records[base + R_SCALARS + 3];
    }
    for (let field = 0; field < PRICE_LADDER_COUNT; field++) {
      const count = records[base + R_LADDER_COUNT + field] as number;
      if (count < 0) continue;
      if (field === TRADED_LADDER) this.hasTradedLadder = true;
      const offset = records[base + R_LADDER_OFFSET + field] as number;
      applyPriceNumbers(this.priceLadders[field] as PriceLadder, numbers, offset, count);
    }
    for (let level = 0; level < this.levelLadders.length; level++) {
      const field = PRICE_LADDER_COUNT + level;
      const count = records[base + R_LADDER_COUNT + field] as number;
      if (count < 0) continue;
      const offset = records[base + R_LADDER_OFFSET + field] as number;
      applyLevelNumbers(this.levelLadders[level] as LevelLadder, numbers, offset, count);
    }
  }

  /** Applies one runner change; returns how many of its entries were unusable and skipped. */
  apply(change: RunnerChange): number {
    let bad = 0;
    if (change.atb !== undefined) bad += pairs(this.atb, change.atb);
    if (change.atl !== undefined) bad += pairs(this.atl, change.atl);
    if (change.trd !== undefined) {
      this.hasTradedLadder = true;
      bad += pairs(this.trd, change.trd);
    }
    if (change.spb !== undefined) bad += pairs(this.spb, change.spb);
    if (change.spl !== undefined) bad += pairs(this.spl, change.spl);
    if (change.batb !== undefined) bad += triples(this.batb, change.batb);
    if (change.batl !== undefined) bad += triples(this.batl, change.batl);
    if (change.bdatb !== undefined) bad += triples(this.bdatb, change.bdatb);
    if (change.bdatl !== undefined) bad += triples(this.bdatl, change.bdatl);
    if (change.ltp !== undefined) this.ltp = streamNumber(change.ltp);
    if (change.tv !== undefined) this.tv = streamNumber(change.tv);
    if (change.spn !== undefined) this.spn = streamNumber(change.spn);
    if (change.spf !== undefined) this.spf = streamNumber(change.spf);
    return bad;
  }
}

function pairs(ladder: PriceLadder, value: unknown): number {
  return Array.isArray(value) ? applyPricePairs(ladder, value as RunnerChange['atb'] & {}) : 1;
}

function triples(ladder: LevelLadder, value: unknown): number {
  return Array.isArray(value) ? applyLevelTriples(ladder, value as RunnerChange['batb'] & {}) : 1;
}

/** One market's state as of its last change: the definition, the runners and the market scalars. */
export class MarketCache {
  definition: MarketDefinition | undefined = undefined;
  /** How many times a definition has replaced the previous one (0: none seen yet). */
  definitionChanges = 0;
  /** marketTime of the current definition in epoch ms; NaN when absent. */
  marketTimeMs = NaN;
  /** Runners by runnerKey(id, hc), including ones seen only in `rc`. */
  readonly runners = new Map<number | string, RunnerCache>();
  /** The market's own `tv` as the stream last sent it. */
  tv: number | undefined = undefined;
  /** Publish time and clock of the last message applied. */
  pt: number | undefined = undefined;
  clk: string | undefined = undefined;
  /** Runner changes applied so far. */
  updates = 0;
  /** Set when this market's changes before any definition have been reported. */
  reportedNoDefinition = false;

  constructor(readonly marketId: string) {}

  get status(): MarketDefinition['status'] | undefined {
    return this.definition?.status;
  }

  get inPlay(): boolean {
    return this.definition?.inPlay === true;
  }

  /** A full image (`img: true`) starts from nothing. */
  reset(): void {
    this.definition = undefined;
    this.marketTimeMs = NaN;
    this.runners.clear();
    this.tv = undefined;
  }

  /** Replaces the definition whole, and links each runner it lists to its entry. */
  replaceDefinition(definition: MarketDefinition): void {
    this.definition = definition;
    this.definitionChanges++;
    this.marketTimeMs =
      definition.marketTime === undefined ? NaN : Date.parse(definition.marketTime);
    for (const runner of this.runners.values()) runner.definitionRunner = undefined;
    for (const entry of definition.runners) {
      const runner = this.runnerOrCreate(entry.id, entry.hc);
      runner.definitionRunner = entry;
      runner.reportedNotInDefinition = false;
    }
  }

  runner(selectionId: number, handicap?: number): RunnerCache | undefined {
    return this.runners.get(runnerKey(selectionId, handicap));
  }

  runnerOrCreate(selectionId: number, handicap: number | undefined): RunnerCache {
    const key = runnerKey(selectionId, handicap);
    let runner = this.runners.get(key);
    if (runner === undefined) {
      runner = new RunnerCache(selectionId, handicap ?? 0);
      this.runners.set(key, runner);
    }
    return runner;
  }

  /** The runners of the current definition, in its order, with their caches. */
  *definitionRunners(): Generator<RunnerCache> {
    for (const entry of this.definition?.runners ?? []) {
      const runner = this.runner(entry.id, entry.hc);
      if (runner !== undefined) yield runner;
    }
  }
}

import { BarsCollector } from './bars.js';
import { BARS_COLUMNS, DEFAULT_BAR_MS } from './bars-table.js';
import { MarketsCollector, type MarketsSource } from './markets.js';
import { MARKETS_COLUMNS } from './markets-table.js';
import type { Moment } from './moments.js';
import { RunnersCollector } from './runners.js';
import { RUNNERS_COLUMNS } from './runners-table.js';
import { SnapshotsCollector } from './snapshots.js';
import { DEFAULT_SNAPSHOT_DEPTH, snapshotsColumns } from './snapshots-table.js';
import type { StreamObserver } from './stream-engine.js';
import { csvHeader, csvLine, ndjsonLine, type Column, type RowOf } from './table.js';

/** The products a replay can make, each a table with its own column list. */
export const PRODUCT_NAMES = ['runners', 'markets', 'snapshots', 'bars'] as const;
export type ProductName = (typeof PRODUCT_NAMES)[number];

export const OUTPUT_FORMATS = ['ndjson', 'csv', 'parquet'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The formats rows are written in line by line. */
export type TextFormat = Exclude<OutputFormat, 'parquet'>;

/** Parquet is columnar, so its rows are written as NDJSON first and converted whole. */
export function textFormatOf(format: OutputFormat): TextFormat {
  return format === 'parquet' ? 'ndjson' : format;
}

/** What the products of one file's replay need besides the lines. */
export interface ProductOptions {
  /** Snapshot moments (required for `snapshots`). */
  moments?: readonly Moment[];
  /** Snapshot ladder depth; default 3. */
  depth?: number;
  /** Bar interval in ms; default 60 s. */
  barMs?: number;
  /** For `markets`: the file's tier, name and generation. */
  source?: MarketsSource;
}

/** One product over one replay: its observer, then its rows as text. */
export interface ProductRun {
  readonly name: ProductName;
  readonly columns: readonly Column[];
  readonly observer: StreamObserver;
  /** The rows of the markets ended so far, as NDJSON or CSV lines (no header). */
  takeText(format: TextFormat): string;
}

/** A product's column list for these options. */
export function productColumns(name: ProductName, options: ProductOptions = {}): readonly Column[] {
  switch (name) {
    case 'runners':
      return RUNNERS_COLUMNS;
    case 'markets':
      return MARKETS_COLUMNS;
    case 'snapshots':
      return snapshotsColumns(options.depth ?? DEFAULT_SNAPSHOT_DEPTH);
    case 'bars':
      return BARS_COLUMNS;
  }
}

/** The header a product's output starts with: a CSV header line, nothing for NDJSON. */
export function productHeader(columns: readonly Column[], format: OutputFormat): string {
  return format === 'csv' ? csvHeader(columns) : '';
}

/** Starts one product for one replay. */
export function startProduct(name: ProductName, options: ProductOptions = {}): ProductRun {
  const columns = productColumns(name, options);
  const collector = collectorOf(name, options);
  return {
    name,
    columns,
    observer: collector,
    takeText(format) {
      const rows = collector.takeRows() as RowOf<readonly Column[]>[];
      const line = format === 'csv' ? csvLine : ndjsonLine;
      let text = '';
      for (const row of rows) text += line(columns, row);
      return text;
    },
  };
}

function collectorOf(
  name: ProductName,
  options: ProductOptions,
): StreamObserver & {
  takeRows(): object[];
} {
  switch (name) {
    case 'runners':
      return new RunnersCollector();
    case 'markets':
      return new MarketsCollector(options.source);
    case 'snapshots':
      return new SnapshotsCollector({ moments: options.moments ?? [], depth: options.depth });
    case 'bars':
      return new BarsCollector({ intervalMs: options.barMs ?? DEFAULT_BAR_MS });
  }
}

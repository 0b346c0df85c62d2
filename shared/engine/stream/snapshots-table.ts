import { bigQuerySchema, type BigQueryField, type Column, type RowOf } from './table.js';

/**
 * The `snapshots` product's columns: one row per runner per moment, the book as of that moment.
 *
 * The ladder levels are fixed columns (`back_1_price`, `back_1_size`, … `lay_N_size`), not one
 * JSON column: users filter and chart on `back_1_price` directly, a CSV opens in any tool
 * without a JSON step, and BigQuery stores typed FLOAT64s it can aggregate. The price is that
 * the column count depends on the depth asked for (default 3, at most MAX_SNAPSHOT_DEPTH), so
 * the column list is `snapshotsColumns(depth)`: the same depth always gives the same list.
 */
export const SNAPSHOTS_LEADING_COLUMNS = [
  { name: 'market_id', type: 'STRING', nullable: false, description: 'Betfair market id' },
  {
    name: 'moment',
    type: 'STRING',
    nullable: false,
    description: 'the moment as asked: an ISO time, an offset such as -60s, off or close',
  },
  {
    name: 'moment_time',
    type: 'TIMESTAMP',
    nullable: false,
    description:
      'when the moment is: the time or marketTime + offset; for off and close, book_time',
  },
  {
    name: 'book_time',
    type: 'TIMESTAMP',
    nullable: false,
    description: 'publish time (pt) of the last update at or before the moment: the book used',
  },
  { name: 'market_time', type: 'TIMESTAMP', nullable: true, description: 'scheduled off' },
  { name: 'market_status', type: 'STRING', nullable: false, description: 'OPEN, SUSPENDED, …' },
  { name: 'in_play', type: 'BOOL', nullable: false, description: 'the market was in play' },
  { name: 'selection_id', type: 'INT64', nullable: false, description: 'runner selection id' },
  { name: 'selection_name', type: 'STRING', nullable: true, description: 'runner name' },
  {
    name: 'runner_status',
    type: 'STRING',
    nullable: false,
    description: 'runner status in the definition of that book (ACTIVE, REMOVED, WINNER, …)',
  },
] as const satisfies readonly Column[];

export const SNAPSHOTS_TRAILING_COLUMNS = [
  { name: 'ltp', type: 'FLOAT64', nullable: true, description: 'last traded price' },
  {
    name: 'traded_volume',
    type: 'FLOAT64',
    nullable: false,
    description: 'traded so far (GBP): Σ of the traded ladder, else the runner tv, else 0',
  },
  {
    name: 'traded_wap',
    type: 'FLOAT64',
    nullable: true,
    description: 'volume-weighted traded price so far; null when the traded ladder is empty',
  },
  { name: 'sp_near', type: 'FLOAT64', nullable: true, description: 'SP near price' },
  { name: 'sp_far', type: 'FLOAT64', nullable: true, description: 'SP far price' },
] as const satisfies readonly Column[];

export const DEFAULT_SNAPSHOT_DEPTH = 3;
export const MAX_SNAPSHOT_DEPTH = 10;

/** The ladder level column names: back_1_price, back_1_size, … */
export type LevelColumnName = `${'back' | 'lay'}_${number}_${'price' | 'size'}`;

export type SnapshotsRow = RowOf<typeof SNAPSHOTS_LEADING_COLUMNS> &
  RowOf<typeof SNAPSHOTS_TRAILING_COLUMNS> & { [K in LevelColumnName]?: number | null };

/** The level columns of one depth: the best `depth` back levels (best first), then lay. */
function levelColumns(depth: number): Column[] {
  const columns: Column[] = [];
  for (const side of ['back', 'lay'] as const) {
    for (let level = 1; level <= depth; level++) {
      const which = level === 1 ? 'best' : `level ${level}`;
      columns.push(
        {
          name: `${side}_${level}_price`,
          type: 'FLOAT64',
          nullable: true,
          description: `${which} price available to ${side}`,
        },
        {
          name: `${side}_${level}_size`,
          type: 'FLOAT64',
          nullable: true,
          description: `size available to ${side} at ${side}_${level}_price (GBP)`,
        },
      );
    }
  }
  return columns;
}

/** The `snapshots` columns for a ladder depth (1 to MAX_SNAPSHOT_DEPTH). */
export function snapshotsColumns(depth = DEFAULT_SNAPSHOT_DEPTH): readonly Column[] {
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_SNAPSHOT_DEPTH) {
    throw new RangeError(`snapshot depth must be a whole number from 1 to ${MAX_SNAPSHOT_DEPTH}`);
  }
  return [...SNAPSHOTS_LEADING_COLUMNS, ...levelColumns(depth), ...SNAPSHOTS_TRAILING_COLUMNS];
}

/** The `snapshots` table's BigQuery JSON schema for a depth. */
export function snapshotsBigQuerySchema(depth = DEFAULT_SNAPSHOT_DEPTH): BigQueryField[] {
  return bigQuerySchema(snapshotsColumns(depth));
}

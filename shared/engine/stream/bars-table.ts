import { bigQuerySchema, type Column, type RowOf } from './table.js';

/**
 * The `bars` product's columns: per runner, the OHLC of traded prices and the volume traded in
 * each interval (aligned to multiples of the interval since the epoch, so bars of different
 * runners and markets line up). A trade is an increase of the runner's traded size at a price
 * between two books; intervals without one have no row.
 */
export const BARS_COLUMNS = [
  { name: 'market_id', type: 'STRING', nullable: false, description: 'Betfair market id' },
  { name: 'selection_id', type: 'INT64', nullable: false, description: 'runner selection id' },
  { name: 'selection_name', type: 'STRING', nullable: true, description: 'runner name' },
  { name: 'bar_start', type: 'TIMESTAMP', nullable: false, description: 'start of the interval' },
  { name: 'bar_end', type: 'TIMESTAMP', nullable: false, description: 'end (exclusive)' },
  {
    name: 'open',
    type: 'FLOAT64',
    nullable: false,
    description: 'first price traded in the interval (within one book, lowest price first)',
  },
  { name: 'high', type: 'FLOAT64', nullable: false, description: 'highest price traded' },
  { name: 'low', type: 'FLOAT64', nullable: false, description: 'lowest price traded' },
  { name: 'close', type: 'FLOAT64', nullable: false, description: 'last price traded' },
  {
    name: 'volume',
    type: 'FLOAT64',
    nullable: false,
    description: 'GBP traded in the interval: increases of traded size over all prices',
  },
  {
    name: 'trades',
    type: 'INT64',
    nullable: false,
    description: 'price levels whose traded size increased, counted once per book',
  },
] as const satisfies readonly Column[];

export type BarsRow = RowOf<typeof BARS_COLUMNS>;

/** The `bars` table's BigQuery JSON schema. */
export const BARS_BIGQUERY_SCHEMA = bigQuerySchema(BARS_COLUMNS);

export const DEFAULT_BAR_MS = 60_000;

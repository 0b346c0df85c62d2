import { bigQuerySchema, type Column, type RowOf } from './table.js';

/**
 * The `runners` product's columns, in order: one row per runner per market, the table Betfair's
 * data scientists publish. P is the last book whose market is OPEN and not in play; O the last
 * OPEN book, in play or not; F the final book; the off the first in-play book.
 */
export const RUNNERS_COLUMNS = [
  { name: 'market_id', type: 'STRING', nullable: false, description: 'Betfair market id' },
  { name: 'event_id', type: 'STRING', nullable: true, description: 'Betfair event id' },
  { name: 'event_date', type: 'DATE', nullable: true, description: 'UTC date of market_time' },
  { name: 'country', type: 'STRING', nullable: true, description: 'countryCode' },
  { name: 'venue', type: 'STRING', nullable: true, description: 'venue' },
  {
    name: 'market_name',
    type: 'STRING',
    nullable: true,
    description: 'market name, from the last definition carrying one',
  },
  { name: 'market_type', type: 'STRING', nullable: true, description: 'marketType, e.g. WIN' },
  { name: 'market_time', type: 'TIMESTAMP', nullable: true, description: 'scheduled off' },
  {
    name: 'off_time',
    type: 'TIMESTAMP',
    nullable: true,
    description: 'publish time of the first in-play book; null when never in play',
  },
  { name: 'selection_id', type: 'INT64', nullable: false, description: 'runner selection id' },
  {
    name: 'selection_name',
    type: 'STRING',
    nullable: true,
    description: 'runner name, from the last definition carrying one',
  },
  {
    name: 'result',
    type: 'STRING',
    nullable: false,
    description: "runner status in the final book's definition (WINNER, LOSER, REMOVED, …)",
  },
  {
    name: 'bsp',
    type: 'FLOAT64',
    nullable: true,
    description: 'bsp in the last definition that has one; null if absent or not finite',
  },
  {
    name: 'bsp_volume',
    type: 'FLOAT64',
    nullable: true,
    description:
      'min(Σ back stake taken, Σ lay liability taken ÷ (bsp − 1)) in P when bsp > 1, else null',
  },
  { name: 'pp_min', type: 'FLOAT64', nullable: true, description: 'lowest traded price in P' },
  { name: 'pp_max', type: 'FLOAT64', nullable: true, description: 'highest traded price in P' },
  { name: 'pp_wap', type: 'FLOAT64', nullable: true, description: 'volume-weighted price in P' },
  { name: 'pp_ltp', type: 'FLOAT64', nullable: true, description: 'last traded price in P' },
  { name: 'pp_volume', type: 'FLOAT64', nullable: true, description: 'traded volume in P (GBP)' },
  {
    name: 'ip_min',
    type: 'FLOAT64',
    nullable: true,
    description: 'lowest price of the in-play ladder (O − P, sizes > 0.005)',
  },
  { name: 'ip_max', type: 'FLOAT64', nullable: true, description: 'highest in-play price' },
  { name: 'ip_wap', type: 'FLOAT64', nullable: true, description: 'in-play volume-weighted price' },
  { name: 'ip_ltp', type: 'FLOAT64', nullable: true, description: 'last traded price in O' },
  {
    name: 'ip_volume',
    type: 'FLOAT64',
    nullable: true,
    description: 'in-play traded volume (GBP)',
  },
  {
    name: 'best_back_at_scheduled_off',
    type: 'FLOAT64',
    nullable: true,
    description: 'best back price as of the last update at or before market_time',
  },
  {
    name: 'best_lay_at_scheduled_off',
    type: 'FLOAT64',
    nullable: true,
    description: 'best lay price as of the last update at or before market_time',
  },
] as const satisfies readonly Column[];

export type RunnersRow = RowOf<typeof RUNNERS_COLUMNS>;

/** The `runners` table's BigQuery JSON schema. */
export const RUNNERS_BIGQUERY_SCHEMA = bigQuerySchema(RUNNERS_COLUMNS);

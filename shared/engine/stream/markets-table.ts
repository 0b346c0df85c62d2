import { bigQuerySchema, type Column, type RowOf } from './table.js';

/**
 * The `markets` product's columns: one row per market, the index users filter on. The close is
 * the last OPEN book, before the suspension that precedes the result; the off the first in-play
 * book. Figures come from the final definition unless a column says otherwise.
 */
export const MARKETS_COLUMNS = [
  { name: 'market_id', type: 'STRING', nullable: false, description: 'Betfair market id' },
  { name: 'event_id', type: 'STRING', nullable: true, description: 'Betfair event id' },
  {
    name: 'event_name',
    type: 'STRING',
    nullable: true,
    description: 'eventName, from the last definition carrying one',
  },
  { name: 'event_type_id', type: 'STRING', nullable: true, description: 'eventTypeId (7: horses)' },
  { name: 'venue', type: 'STRING', nullable: true, description: 'venue' },
  { name: 'country', type: 'STRING', nullable: true, description: 'countryCode' },
  { name: 'market_type', type: 'STRING', nullable: true, description: 'marketType, e.g. WIN' },
  {
    name: 'market_name',
    type: 'STRING',
    nullable: true,
    description: 'market name, from the last definition carrying one',
  },
  { name: 'event_date', type: 'DATE', nullable: true, description: 'UTC date of market_time' },
  { name: 'market_time', type: 'TIMESTAMP', nullable: true, description: 'scheduled off' },
  {
    name: 'off_time',
    type: 'TIMESTAMP',
    nullable: true,
    description: 'publish time of the first in-play book; null when never in play',
  },
  {
    name: 'close_time',
    type: 'TIMESTAMP',
    nullable: true,
    description: 'publish time of the last OPEN book; null when never OPEN',
  },
  { name: 'status', type: 'STRING', nullable: false, description: 'market status at the end' },
  {
    name: 'runner_count',
    type: 'INT64',
    nullable: false,
    description: 'runners in the definition',
  },
  {
    name: 'number_of_winners',
    type: 'INT64',
    nullable: true,
    description: 'numberOfWinners of the definition (places paid)',
  },
  {
    name: 'winner_ids',
    type: 'STRING',
    nullable: false,
    description: 'selection ids with status WINNER at the end, comma-separated; empty when none',
  },
  {
    name: 'total_matched',
    type: 'FLOAT64',
    nullable: false,
    description:
      'GBP traded in the last OPEN book: Σ of the runners’ traded ladders, else the market tv',
  },
  { name: 'tier', type: 'STRING', nullable: true, description: 'BASIC, ADVANCED or PRO' },
  { name: 'source_object', type: 'STRING', nullable: true, description: 'the file replayed' },
  {
    name: 'source_generation',
    type: 'STRING',
    nullable: true,
    description: 'the Cloud Storage generation of that file',
  },
] as const satisfies readonly Column[];

export type MarketsRow = RowOf<typeof MARKETS_COLUMNS>;

/** The `markets` table's BigQuery JSON schema. */
export const MARKETS_BIGQUERY_SCHEMA = bigQuerySchema(MARKETS_COLUMNS);

import { describe, expect, it } from 'vitest';
import {
  RUNNERS_BIGQUERY_SCHEMA,
  RUNNERS_COLUMNS,
  type RunnersRow,
} from '../../../shared/engine/stream/runners-table.js';
import {
  bigQuerySchema,
  csvHeader,
  csvLine,
  ndjsonLine,
} from '../../../shared/engine/stream/table.js';

const COLUMN_NAMES = RUNNERS_COLUMNS.map((column) => column.name);

/** A row with every column filled from its position, and a name that needs CSV quoting. */
function sampleRow(): RunnersRow {
  const entries = RUNNERS_COLUMNS.map((column, i) => {
    if (column.type === 'FLOAT64' || column.type === 'INT64') return [column.name, i + 0.5];
    return [column.name, `v${i}`];
  });
  return {
    ...Object.fromEntries(entries),
    selection_name: 'Say "Hi", Bob',
    bsp: null,
  } as RunnersRow;
}

describe('a product table is defined once and every output derives from it', () => {
  it('has the runners columns in the documented order', () => {
    expect(COLUMN_NAMES.join(',')).toBe(
      'market_id,event_id,event_date,country,venue,market_name,market_type,market_time,off_time,' +
        'selection_id,selection_name,result,bsp,bsp_volume,pp_min,pp_max,pp_wap,pp_ltp,pp_volume,' +
        'ip_min,ip_max,ip_wap,ip_ltp,ip_volume,best_back_at_scheduled_off,best_lay_at_scheduled_off',
    );
  });

  it('writes the CSV header and rows in column order, quoting per RFC 4180, null as empty', () => {
    expect(csvHeader(RUNNERS_COLUMNS)).toBe(`${COLUMN_NAMES.join(',')}\n`);
    const fields = csvLine(RUNNERS_COLUMNS, sampleRow()).trimEnd();
    expect(fields).toContain(',"Say ""Hi"", Bob",');
    expect(fields.split(',')[COLUMN_NAMES.indexOf('bsp') + 1]).toBe('');
  });

  it('writes NDJSON with every column, in order, null where absent or not finite', () => {
    const row = { ...sampleRow(), pp_wap: NaN };
    const line = ndjsonLine(RUNNERS_COLUMNS, row);
    expect(line.endsWith('\n')).toBe(true);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(COLUMN_NAMES);
    expect(parsed).toMatchObject({ bsp: null, pp_wap: null, selection_name: 'Say "Hi", Bob' });
  });

  it('derives the BigQuery schema: names, types, and mode from nullability', () => {
    expect(RUNNERS_BIGQUERY_SCHEMA.map((field) => field.name)).toEqual(COLUMN_NAMES);
    expect(RUNNERS_BIGQUERY_SCHEMA.find((f) => f.name === 'market_id')).toMatchObject({
      type: 'STRING',
      mode: 'REQUIRED',
    });
    expect(RUNNERS_BIGQUERY_SCHEMA.find((f) => f.name === 'event_date')?.type).toBe('DATE');
    expect(RUNNERS_BIGQUERY_SCHEMA.find((f) => f.name === 'bsp')?.mode).toBe('NULLABLE');
    const custom = [{ name: 'n', type: 'INT64', nullable: true, description: 'd' }] as const;
    expect(bigQuerySchema(custom)).toEqual([
      { name: 'n', type: 'INT64', mode: 'NULLABLE', description: 'd' },
    ]);
  });
});

import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../../shared/local/adapters/object-store.js';
import { DuckDbWarehouse } from '../../../shared/local/adapters/warehouse.js';
import type { WarehouseLoad } from '../../../shared/platform/ports/warehouse.js';

const TABLE = {
  dataset: 'chimera',
  table: 'markets',
  columns: [
    { name: 'market_id', type: 'STRING', nullable: false, description: 'market' },
    { name: 'market_time', type: 'TIMESTAMP', nullable: true, description: 'off' },
    { name: 'runner_count', type: 'INT64', nullable: false, description: 'runners' },
  ],
  partitionBy: 'market_time',
  clusterBy: ['market_id'],
} as const;

const row = (id: string, runners: number) =>
  `${JSON.stringify({ market_id: id, market_time: '2022-04-19T18:25:00.000Z', runner_count: runners })}\n`;

/** The local stand-in for BigQuery: loads replace the loaded markets' rows, bad files change nothing. */
describe('the local DuckDB warehouse', () => {
  let store: LocalObjectStore;
  let warehouse: DuckDbWarehouse;
  const load = (loadId: string, sources: string[]): WarehouseLoad => ({
    loadId,
    location: 'EU',
    table: TABLE,
    bucket: 'out',
    sources,
    format: 'ndjson',
    replaceKey: 'market_id',
  });
  const put = (name: string, text: string) => store.write('out', name, Readable.from([text]));

  beforeEach(async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chimera-wh-'));
    store = new LocalObjectStore({ dataDir });
    await store.createBucket('out');
    warehouse = new DuckDbWarehouse(dataDir);
    await warehouse.ensureDataset('chimera');
  });

  it('loads a job twice into the same rows, and a later job replaces only its markets', async () => {
    await put('a.ndjson', row('1.1', 8) + row('1.2', 9));
    await put('empty.ndjson', '');
    const first = await warehouse.load(load('job-a', ['a.ndjson', 'empty.ndjson']));
    expect(first).toEqual({ rowsLoaded: 2, tableRows: 2, errors: [] });
    expect(await warehouse.load(load('job-a', ['a.ndjson', 'empty.ndjson']))).toEqual(first);
    await put('b.ndjson', row('1.2', 7) + row('1.3', 5));
    expect(await warehouse.load(load('job-b', ['b.ndjson']))).toEqual({
      rowsLoaded: 2,
      tableRows: 3,
      errors: [],
    });
  });

  it('reports a file whose values do not fit the schema, and keeps the table as it was', async () => {
    await put('a.ndjson', row('1.1', 8));
    await warehouse.load(load('job-a', ['a.ndjson']));
    await put('bad.ndjson', row('1.2', 9) + '{"market_id":"1.3","runner_count":"many"}\n');
    const bad = await warehouse.load(load('job-bad', ['bad.ndjson']));
    expect(bad.rowsLoaded).toBe(0);
    expect(bad.tableRows).toBe(1);
    expect(bad.errors.join(' ')).toMatch(/many/);
  });
});

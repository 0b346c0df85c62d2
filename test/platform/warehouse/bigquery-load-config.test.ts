import { describe, expect, it } from 'vitest';
import {
  loadJobOptions,
  mapBigQueryError,
  replaceJobOptions,
  tableResource,
} from '../../../shared/platform/cloud/bigquery-warehouse.js';
import type { WarehouseLoad } from '../../../shared/platform/ports/warehouse.js';

const LOAD: WarehouseLoad = {
  loadId: 'chimera-load-2026-11-30-abcd1234-runners',
  location: 'europe-west2',
  table: {
    dataset: 'racing',
    table: 'pro_runners',
    columns: [
      { name: 'market_id', type: 'STRING', nullable: false, description: 'Betfair market id' },
      { name: 'event_date', type: 'DATE', nullable: true, description: 'UTC date' },
      { name: 'bsp', type: 'FLOAT64', nullable: true, description: 'bsp' },
    ],
    partitionBy: 'event_date',
    clusterBy: ['market_id'],
  },
  bucket: 'out',
  sources: ['x/output/runners-00000-of-00002.ndjson', 'x/output/runners-00001-of-00002.ndjson'],
  format: 'ndjson',
  replaceKey: 'market_id',
};

const STAGE =
  'racing.pro_runners staged as _stage_pro_runners_chimera_load_2026_11_30_abcd1234_runners';

/** The BigQuery adapter is thin: what it asks BigQuery for is data, checked here whole. */
describe('BigQuery load configuration', () => {
  it(`loads the shards from Cloud Storage with the explicit schema (${STAGE})`, () => {
    expect(loadJobOptions('proj', LOAD)).toEqual({
      jobId: 'chimera-load-2026-11-30-abcd1234-runners',
      location: 'europe-west2',
      configuration: {
        load: {
          destinationTable: {
            projectId: 'proj',
            datasetId: 'racing',
            tableId: '_stage_pro_runners_chimera_load_2026_11_30_abcd1234_runners',
          },
          sourceUris: [
            'gs://out/x/output/runners-00000-of-00002.ndjson',
            'gs://out/x/output/runners-00001-of-00002.ndjson',
          ],
          sourceFormat: 'NEWLINE_DELIMITED_JSON',
          schema: {
            fields: [
              {
                name: 'market_id',
                type: 'STRING',
                mode: 'REQUIRED',
                description: 'Betfair market id',
              },
              { name: 'event_date', type: 'DATE', mode: 'NULLABLE', description: 'UTC date' },
              { name: 'bsp', type: 'FLOAT64', mode: 'NULLABLE', description: 'bsp' },
            ],
          },
          autodetect: false,
          timePartitioning: { type: 'DAY', field: 'event_date' },
          clustering: { fields: ['market_id'] },
          writeDisposition: 'WRITE_TRUNCATE',
          createDisposition: 'CREATE_IF_NEEDED',
          maxBadRecords: 0,
        },
      },
    });
  });

  it.each([
    ['csv', { sourceFormat: 'CSV', skipLeadingRows: 1 }],
    ['parquet', { sourceFormat: 'PARQUET' }],
  ] as const)('names the %s format, skipping the CSV header', (format, expected) => {
    const load = loadJobOptions('proj', { ...LOAD, format }).configuration!.load!;
    expect(load).toMatchObject(expected);
    expect(load.autodetect).toBe(false);
    if (format === 'parquet') expect(load).not.toHaveProperty('skipLeadingRows');
  });

  it('gives the same job ids for the same load, so a repeated step finds its jobs', () => {
    expect(loadJobOptions('proj', LOAD)).toEqual(loadJobOptions('proj', { ...LOAD }));
    expect(replaceJobOptions('proj', LOAD).jobId).toBe(`${LOAD.loadId}-replace`);
  });

  it('replaces the rows of the loaded markets in one transaction, then drops the staging table', () => {
    const query = replaceJobOptions('proj', LOAD).configuration!.query!;
    expect(query.useLegacySql).toBe(false);
    expect(query.query!.split('\n')).toEqual([
      'BEGIN TRANSACTION;',
      'DELETE FROM `proj.racing.pro_runners` WHERE `market_id` IN (SELECT `market_id` FROM `proj.racing._stage_pro_runners_chimera_load_2026_11_30_abcd1234_runners`);',
      'INSERT INTO `proj.racing.pro_runners` (`market_id`, `event_date`, `bsp`) SELECT `market_id`, `event_date`, `bsp` FROM `proj.racing._stage_pro_runners_chimera_load_2026_11_30_abcd1234_runners`;',
      'COMMIT TRANSACTION;',
      'DROP TABLE `proj.racing._stage_pro_runners_chimera_load_2026_11_30_abcd1234_runners`;',
    ]);
  });

  it('creates the target partitioned by day and clustered by market', () => {
    expect(tableResource(LOAD.table)).toMatchObject({
      timePartitioning: { type: 'DAY', field: 'event_date' },
      clustering: { fields: ['market_id'] },
    });
  });

  it.each([
    [409, 'WAREHOUSE.ALREADY_EXISTS', 'conflict'],
    [403, 'WAREHOUSE.FAILED', 'invalid'],
    [503, 'WAREHOUSE.UNAVAILABLE', 'unavailable'],
    ['ECONNRESET', 'WAREHOUSE.UNAVAILABLE', 'unavailable'],
  ])('maps a client failure %s to %s', (code, expected, kind) => {
    const error = mapBigQueryError(Object.assign(new Error('boom'), { code }));
    expect([error.code, error.kind]).toEqual([expected, kind]);
  });
});

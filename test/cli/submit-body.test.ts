import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from '../../shared/cli/command.js';
import { joinMomentValue } from '../../shared/cli/moment-options.js';
import { SUBMIT_OPTIONS, submitBody, submitCommand } from '../../shared/cli/job-commands.js';
import { submitRequestSchema } from '../../shared/pipeline/submit.js';

const body = (...argv: string[]) =>
  submitBody(parseOptions(joinMomentValue(argv), SUBMIT_OPTIONS).values);
const REQUIRED = ['--bucket', 'src', '--paths', 'Apr/19, Apr/20,', '--target', 'out'];

describe('submitBody', () => {
  it('maps the flags to the predecessor’s field names, with its defaults', () => {
    expect(body(...REQUIRED)).toEqual({
      sourceType: 'betfair',
      sourceBucket: 'src',
      sourceDataset: '',
      selectedPaths: ['Apr/19', 'Apr/20'],
      targetBucket: 'out',
      outputPrefix: '',
      outputShards: 10,
      processType: 'decompress_and_concatenate',
      compression: 'none',
      createNewBucket: false,
      skipProcessed: false,
      dataflowMaxWorkers: 'AUTO',
    });
  });

  it('passes every optional flag through', () => {
    const args = [
      ...['--dataset', 'PRO/2022', '--prefix', 'x/', '--shards', '3', '--max-workers', '8'],
      ...['--process', 'decompress_only', '--compression', 'gzip', '--plugin', 'ndjson'],
      ...['--create-bucket', '--skip-processed'],
    ];
    expect(body(...REQUIRED, ...args)).toMatchObject({
      sourceType: 'ndjson',
      sourceDataset: 'PRO/2022',
      outputPrefix: 'x/',
      outputShards: 3,
      processType: 'decompress_only',
      compression: 'gzip',
      createNewBucket: true,
      skipProcessed: true,
      dataflowMaxWorkers: 8,
    });
  });

  it('maps the warehouse flags of direct_to_bigquery to one warehouse object the API accepts', () => {
    const args = [
      ...['--process', 'direct_to_bigquery', '--format', 'parquet'],
      ...['--warehouse-dataset', 'racing', '--warehouse-location', 'europe-west2'],
      ...['--table-prefix', 'pro_', '--stream-table'],
    ];
    const request = body(...REQUIRED, ...args);
    expect(request).toMatchObject({
      processType: 'direct_to_bigquery',
      format: 'parquet',
      warehouse: {
        dataset: 'racing',
        location: 'europe-west2',
        tablePrefix: 'pro_',
        stream: true,
      },
    });
    expect(submitRequestSchema.safeParse(request).success).toBe(true);
    expect(body(...REQUIRED)).not.toHaveProperty('warehouse');
  });

  it('maps the parse options and filters to the request, leaving out what is not given', () => {
    const args = [
      ...['--process', 'decompress_concatenate_parse', '--products', 'runners, snapshots,bars'],
      ...['--at', '-60s,off,2022-04-19T12:00:00Z', '--depth', '5', '--bar', '5m'],
      ...['--format', 'csv', '--invalid-lines', 'pass'],
      ...['--market-types', 'WIN,PLACE', '--countries', 'GB, IE', '--event-types', '7'],
      ...['--venues', 'Cheltenham,Ascot', '--from', '2022-04-01', '--to', '2022-04-30'],
    ];
    expect(body(...REQUIRED, ...args)).toMatchObject({
      processType: 'decompress_concatenate_parse',
      invalidLines: 'pass',
      products: ['runners', 'snapshots', 'bars'],
      snapshotMoments: ['-60s', 'off', '2022-04-19T12:00:00Z'],
      ladderDepth: 5,
      barSeconds: 300,
      format: 'csv',
      filters: {
        marketTypes: ['WIN', 'PLACE'],
        countries: ['GB', 'IE'],
        eventTypes: ['7'],
        venues: ['Cheltenham', 'Ascot'],
        dateFrom: '2022-04-01',
        dateTo: '2022-04-30',
      },
    });
    const some = body(...REQUIRED, '--at', '-600s', '--venues', 'Ayr');
    expect(some).toMatchObject({ snapshotMoments: ['-600s'], filters: { venues: ['Ayr'] } });
    for (const left of ['products', 'ladderDepth', 'barSeconds', 'format', 'invalidLines']) {
      expect(some, left).not.toHaveProperty(left);
    }
    expect(body(...REQUIRED)).not.toHaveProperty('filters');
  });

  it('is accepted by the API request schema, parse options and filters included', () => {
    const request = body(
      ...REQUIRED,
      ...['--process', 'decompress_concatenate_parse', '--products', 'markets', '--bar', '90s'],
      ...['--at', 'close', '--market-types', 'WIN', '--from', '2022-04-19'],
    );
    expect(submitRequestSchema.safeParse(request).error).toBeUndefined();
  });

  it.each([
    ['an unknown product', [...REQUIRED, '--products', 'runners,ticks']],
    ['a bad moment', [...REQUIRED, '--at', 'soon']],
    ['a depth past the ladder', [...REQUIRED, '--depth', '11']],
    ['a bar of no interval', [...REQUIRED, '--bar', 'hourly']],
    ['an unknown format', [...REQUIRED, '--format', 'xml']],
    ['an unknown invalid-lines policy', [...REQUIRED, '--invalid-lines', 'drop']],
  ])('refuses %s as a usage error', (_label, argv) => {
    expect(() => body(...argv)).toThrow(UsageError);
  });

  it('says in --help how each parse option and filter is given', () => {
    for (const flag of ['--products', '--at', '--depth', '--bar', '--format', '--invalid-lines']) {
      expect(submitCommand.usage).toContain(`  ${flag} <`);
    }
    for (const flag of ['--market-types', '--countries', '--event-types', '--venues']) {
      expect(submitCommand.usage).toContain(`  ${flag} <`);
    }
    expect(submitCommand.usage).toMatch(/--from <day>.*\n.*--to <day>/);
  });

  it.each([
    ['no bucket', ['--paths', 'Apr', '--target', 'out']],
    ['no target', ['--bucket', 'src', '--paths', 'Apr']],
    ['empty paths', ['--bucket', 'src', '--paths', ' , ', '--target', 'out']],
    ['zero shards', [...REQUIRED, '--shards', '0']],
    ['an unknown process type', [...REQUIRED, '--process', 'direct_to_mars']],
    ['an unsupported compression', [...REQUIRED, '--compression', 'snappy']],
    ['a non-numeric worker count', [...REQUIRED, '--max-workers', 'many']],
  ])('refuses %s as a usage error', (_label, argv) => {
    expect(() => body(...argv)).toThrow(UsageError);
  });
});

import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from '../../shared/cli/command.js';
import { SUBMIT_OPTIONS, submitBody } from '../../shared/cli/job-commands.js';

const body = (...argv: string[]) => submitBody(parseOptions(argv, SUBMIT_OPTIONS).values);
const REQUIRED = ['--bucket', 'src', '--paths', 'Apr/19, Apr/20,', '--target', 'out'];

describe('submitBody', () => {
  it('maps the flags to the predecessor’s field names, with its defaults', () => {
    expect(body(...REQUIRED)).toEqual({
      sourceType: 'betfair',
      sourceBucket: 'src',
      sourceDataset: '',
      selectedPaths: ['Apr/19', 'Apr/20'],
      targetBucket: 'out',
      outputPrefix: 'output/',
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

  it.each([
    ['no bucket', ['--paths', 'Apr', '--target', 'out']],
    ['no target', ['--bucket', 'src', '--paths', 'Apr']],
    ['empty paths', ['--bucket', 'src', '--paths', ' , ', '--target', 'out']],
    ['zero shards', [...REQUIRED, '--shards', '0']],
    ['an unsupported process type', [...REQUIRED, '--process', 'direct_to_bigquery']],
    ['an unsupported compression', [...REQUIRED, '--compression', 'snappy']],
    ['a non-numeric worker count', [...REQUIRED, '--max-workers', 'many']],
  ])('refuses %s as a usage error', (_label, argv) => {
    expect(() => body(...argv)).toThrow(UsageError);
  });
});

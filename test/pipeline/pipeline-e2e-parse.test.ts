import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../shared/cli/run.js';
import {
  PRODUCT_NAMES,
  productColumns,
  productHeader,
} from '../../shared/engine/stream/products.js';
import { captureIo } from '../cli/capture-io.js';
import { generateJobInput, aprilJob, SOURCE_BUCKET } from '../support/job-input.js';
import { startPipeline, type PipelineHarness } from '../support/pipeline-harness.js';
import { readProductCsv } from '../support/product-csv.js';
import { readAll } from '../support/temp-store.js';

const SOURCE = SOURCE_BUCKET;
const TARGET = 'parse-results';

const request = (extra: Record<string, unknown>) =>
  aprilJob(TARGET, { processType: 'decompress_concatenate_parse', ...extra });

/**
 * A parse job end to end over HTTP, every Pub/Sub message and trigger event delivered twice:
 * each product's shards hold exactly what `chimera parse` writes for the same files.
 */
describe('a decompress_concatenate_parse job end to end over HTTP', () => {
  let harness: PipelineHarness;

  beforeAll(async () => {
    harness = await startPipeline({ BUS_DUPLICATE_DELIVERIES: 'true' });
    await generateJobInput(
      harness.store,
      SOURCE,
      { seed: 5, meetings: 2, racesPerMeeting: 2, updates: 40 },
      6,
    );
    await harness.store.createBucket('cli-results');
  }, 60_000);
  afterAll(() => harness.stop(), 60_000);

  async function read(bucket: string, name: string): Promise<string> {
    return (await readAll(await harness.store.read(bucket, name))).toString();
  }

  async function chimeraParse(dst: string, ...options: string[]): Promise<void> {
    const io = captureIo();
    const code = await run(
      ['parse', `gs://${SOURCE}`, `gs://cli-results/${dst}`, ...options],
      {},
      io,
      { objectStore: () => harness.store },
    );
    expect(code, io.err()).toBe(1); // the malformed day's undecodable files are listed
  }

  async function runJob(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const submit = await harness.post<{ jobId: string }>('/api/pipeline/submit', request(body));
    expect(submit.status, JSON.stringify(submit.body)).toBe(201);
    return harness.waitForJob(submit.body.jobId, 90_000);
  }

  async function shardsOf(prefix: string, product: string, format: string, count: number) {
    const names = (
      await harness.store.list(TARGET, { prefix: `${prefix}output/${product}-` })
    ).objects.map((o) => o.name);
    const pad = (n: number) => String(n).padStart(5, '0');
    expect(names).toEqual(
      [...Array(count).keys()].map(
        (n) => `${prefix}output/${product}-${pad(n)}-of-${pad(count)}.${format}`,
      ),
    );
    return Promise.all(names.map((name) => read(TARGET, name)));
  }

  it('writes runners and markets NDJSON shards equal to chimera parse, by default', async () => {
    const status = await runJob({ outputPrefix: 'nd/', outputShards: 2 });
    expect(status.status).toBe('completed');
    await chimeraParse('nd', '--products', 'runners,markets', '--format', 'ndjson');
    for (const product of ['runners', 'markets']) {
      const shards = await shardsOf('nd/', product, 'ndjson', 2);
      const expected = await read('cli-results', `nd/${product}.ndjson`);
      expect(expected.split('\n').length).toBeGreaterThan(5);
      expect(shards.join(''), product).toBe(expected);
    }
    expect((await harness.store.list(TARGET, { prefix: 'nd/snapshots-' })).objects).toEqual([]);
    expect((await harness.store.list(TARGET, { prefix: 'nd/_parts/' })).objects).toEqual([]);
  }, 120_000);

  it('writes CSV shards, each with the documented header, rows equal to chimera parse', async () => {
    const status = await runJob({
      outputPrefix: 'csv/',
      outputShards: 3,
      products: ['runners', 'markets', 'snapshots', 'bars'],
      snapshotMoments: ['-60s', 'off'],
      ladderDepth: 2,
      barSeconds: 30,
      format: 'csv',
    });
    expect(status.status).toBe('completed');
    await chimeraParse(
      'csv',
      '--products',
      'runners,markets,snapshots,bars',
      '--at',
      '-60s,off',
      '--depth',
      '2',
      '--bar',
      '30s',
      '--format',
      'csv',
    );
    for (const product of PRODUCT_NAMES) {
      const columns = productColumns(product, { depth: 2 });
      const header = productHeader(columns, 'csv');
      const shards = await shardsOf('csv/', product, 'csv', 3);
      const expected = await read('cli-results', `csv/${product}.csv`);
      expect(readProductCsv(expected, columns).length, product).toBeGreaterThan(3);
      const rows = shards.flatMap((shard) => readProductCsv(shard, columns));
      expect(rows, product).toEqual(readProductCsv(expected, columns));
      expect(shards.map((shard) => shard.slice(header.length)).join(''), product).toBe(
        expected.slice(header.length),
      );
    }
  }, 120_000);

  it.each([
    [
      { products: ['runners', 'ticks'] },
      /products.*"ticks" is not a product; allowed: runners, markets, snapshots, bars/,
    ],
    [{ products: [] }, /products.*at least one of runners, markets, snapshots, bars/],
    [{ format: 'xml' }, /format.*ndjson, csv/],
    [{ ladderDepth: 0 }, /ladderDepth.*from 1 to 10/],
    [{ barSeconds: 2.5 }, /barSeconds.*whole number of seconds/],
    [{ snapshotMoments: ['soon'] }, /snapshotMoments.*"soon" is not a moment/],
    [{ compression: 'gzip' }, /compression.*supported: none/],
    [
      { processType: 'decompress_and_concatenate', format: 'csv' },
      /format.*only to processType decompress_concatenate_parse/,
    ],
  ])('refuses %j with a 400 that says what is allowed', async (extra, why) => {
    const answer = await harness.post<{ detail: string; code: string }>(
      '/api/pipeline/submit',
      request({ targetBucket: 'never-made', ...extra }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('REQUEST.INVALID');
    expect(answer.body.detail).toMatch(why);
    expect(await harness.store.bucketExists('never-made')).toBe(false);
  });
});

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run } from '../../shared/cli/run.js';
import { PRODUCT_NAMES, productColumns } from '../../shared/engine/stream/products.js';
import { generateSampleData } from '../../shared/local/generator/generate.js';
import { captureIo } from '../cli/capture-io.js';
import { bzip2Dc } from '../support/bzip2.js';
import { startPipeline, type PipelineHarness } from '../support/pipeline-harness.js';
import { csvRecordTexts, readProductCsv, type CsvRow } from '../support/product-csv.js';
import {
  describeWithSamples,
  HISTORIC_SAMPLES_DIR,
  historicSampleFiles,
} from '../support/sample-data.js';
import { readAll } from '../support/temp-store.js';

const SOURCE = 'betfair-vendor';
const TARGET = 'sample-results';
const SHARDS = 2;
const DEPTH = 2;

/** Horse and greyhound racing in GB: keeps the real horse (BASIC) and greyhound (PRO) files. */
const FILTERS = { eventTypes: ['7', '4339'], countries: ['GB'] };
const KEPT_SAMPLES = ['1.132153978', '1.197931750'];
const CRICKET_SAMPLE = '1.200806927';

/** A source object and its market as its first market definition describes it. */
interface SourceFile {
  name: string;
  marketId: string;
  eventTypeId: string;
  countryCode: string;
}

/** Why the filters skip a file, naming the first filter it fails; undefined when kept. */
function expectedSkipReason(file: SourceFile): string | undefined {
  if (!FILTERS.countries.includes(file.countryCode)) {
    return `countryCode ${file.countryCode} not in [${FILTERS.countries.join(', ')}]`;
  }
  if (!FILTERS.eventTypes.includes(file.eventTypeId)) {
    return `eventTypeId ${file.eventTypeId} not in [${FILTERS.eventTypes.join(', ')}]`;
  }
  return undefined;
}

/**
 * A filtered parse job end to end over HTTP on generated files and the real Betfair samples in
 * the vendor's layout (BASIC horse racing, PRO greyhound racing, PRO cricket), every Pub/Sub
 * message and trigger event delivered twice: each product's shards hold what `chimera parse`
 * writes for the files the filters keep, and the skipped files say why.
 */
describeWithSamples('a filtered parse job over generated and real Betfair files', () => {
  let harness: PipelineHarness;
  let files: SourceFile[];

  beforeAll(async () => {
    harness = await startPipeline({ BUS_DUPLICATE_DELIVERIES: 'true' });
    await generateSampleData(harness.store, SOURCE, {
      mode: 'normal',
      seed: 21,
      meetings: 3,
      racesPerMeeting: 2,
      updates: 40,
    });
    for (const sample of historicSampleFiles()) {
      const name = path.relative(HISTORIC_SAMPLES_DIR, sample).split(path.sep).join('/');
      await harness.store.write(SOURCE, name, Readable.from([await readFile(sample)]));
    }
    await harness.store.createBucket('cli-results');
    const objects = (await harness.store.list(SOURCE)).objects.map((o) => o.name);
    files = await Promise.all(objects.map(describeFile));
  }, 60_000);
  afterAll(() => harness.stop(), 60_000);

  async function read(bucket: string, name: string): Promise<string> {
    return (await readAll(await harness.store.read(bucket, name))).toString();
  }

  async function describeFile(name: string): Promise<SourceFile> {
    const text = bzip2Dc(await readAll(await harness.store.read(SOURCE, name))).toString();
    const line = text.split('\n').find((l) => l.includes('marketDefinition')) ?? '{}';
    const change = (
      JSON.parse(line) as {
        mc: { id: string; marketDefinition: { eventTypeId: string; countryCode: string } }[];
      }
    ).mc[0];
    return {
      name,
      marketId: change?.id ?? '',
      eventTypeId: change?.marketDefinition.eventTypeId ?? '',
      countryCode: change?.marketDefinition.countryCode ?? '',
    };
  }

  it('writes CSV shards equal to chimera parse over the files kept, the others skipped with the filter they failed', async () => {
    const kept = files.filter((f) => expectedSkipReason(f) === undefined);
    const skipped = files.filter((f) => expectedSkipReason(f) !== undefined);
    const keptIds = new Set(kept.map((f) => f.marketId));
    for (const id of KEPT_SAMPLES) expect(keptIds).toContain(id);
    expect(skipped.map((f) => f.marketId)).toContain(CRICKET_SAMPLE);
    expect(skipped.filter((f) => f.countryCode === 'IE').length).toBeGreaterThan(0);
    expect(kept.length).toBeGreaterThan(KEPT_SAMPLES.length);

    const submit = await harness.post<{ jobId: string }>('/api/pipeline/submit', {
      sourceBucket: SOURCE,
      selectedPaths: ['PRO/2022', 'BASIC/2017'],
      targetBucket: TARGET,
      createNewBucket: true,
      processType: 'decompress_concatenate_parse',
      outputShards: SHARDS,
      products: [...PRODUCT_NAMES],
      snapshotMoments: ['-60s', 'off'],
      ladderDepth: DEPTH,
      barSeconds: 30,
      format: 'csv',
      filters: FILTERS,
    });
    expect(submit.status, JSON.stringify(submit.body)).toBe(201);
    const status = await harness.waitForJob(submit.body.jobId, 90_000);
    expect(status).toMatchObject({
      status: 'completed',
      filesSucceeded: kept.length,
      filesSkipped: skipped.length,
      filesFailed: 0,
    });
    const listed = await harness.get<{ files: { source: string; skipReason: string }[] }>(
      `/api/pipeline/${submit.body.jobId}/files?state=skipped`,
    );
    expect(
      listed.body.files.map((f) => [f.source, f.skipReason]).sort(([a], [b]) => (a! < b! ? -1 : 1)),
    ).toEqual(skipped.map((f) => [`gs://${SOURCE}/${f.name}`, expectedSkipReason(f)]));

    const io = captureIo();
    const options = ['--at', '-60s,off', '--depth', String(DEPTH), '--bar', '30s'];
    const code = await run(
      ['parse', `gs://${SOURCE}`, 'gs://cli-results/all', ...options, '--format', 'csv'],
      {},
      io,
      { objectStore: () => harness.store },
    );
    expect(code, io.out() + io.err()).toBe(0);

    const rowsOf = new Map<string, CsvRow[]>();
    for (const product of PRODUCT_NAMES) {
      const columns = productColumns(product, { depth: DEPTH });
      const [header, ...records] = csvRecordTexts(await read('cli-results', `all/${product}.csv`));
      const headerLength = header?.text.length ?? 0;
      const keptRecords = records.filter((r) => keptIds.has(r.fields[0] ?? ''));
      expect(keptRecords.length, product).toBeGreaterThan(0);
      expect(keptRecords.length, product).toBeLessThan(records.length);
      const shards = await shardsOf(product);
      expect(shards.map((s) => s.slice(headerLength)).join(''), product).toBe(
        keptRecords.map((r) => r.text).join(''),
      );
      rowsOf.set(
        product,
        shards.flatMap((shard) => readProductCsv(shard, columns)),
      );
    }
    const markets = rowsOf.get('markets') ?? [];
    expect(new Set(markets.map((m) => m.market_id))).toEqual(keptIds);
    expect(markets.filter((m) => KEPT_SAMPLES.includes(String(m.market_id)))).toMatchObject([
      { market_id: KEPT_SAMPLES[0], tier: 'BASIC', event_type_id: '7' },
      { market_id: KEPT_SAMPLES[1], tier: 'PRO', event_type_id: '4339' },
    ]);
    const runners = rowsOf.get('runners') ?? [];
    expect(new Set(runners.map((r) => r.market_id))).toEqual(keptIds);
  }, 180_000);

  async function shardsOf(product: string): Promise<string[]> {
    const names = (await harness.store.list(TARGET, { prefix: `output/${product}-` })).objects.map(
      (o) => o.name,
    );
    expect(names, product).toHaveLength(SHARDS);
    return Promise.all(names.map((name) => read(TARGET, name)));
  }
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productColumns } from '../../shared/engine/stream/products.js';
import { bigQuerySchema } from '../../shared/engine/stream/table.js';
import type { ManifestEntry } from '../../shared/local/generator/generate.js';
import { productShardName } from '../../shared/pipeline/output-names.js';
import { bzip2Dc } from '../support/bzip2.js';
import { failsInJob, generateJobInput, aprilJob, SOURCE_BUCKET } from '../support/job-input.js';
import { startPipeline, type PipelineHarness } from '../support/pipeline-harness.js';
import { readAll } from '../support/temp-store.js';

const SOURCE = SOURCE_BUCKET;
const TARGET = 'indexed-results';

const request = (extra: Record<string, unknown>) => aprilJob(TARGET, extra);

/** A good input and its first market definition, read without the pipeline. */
interface Described {
  file: ManifestEntry;
  marketId: string;
  definition: { marketType?: string; venue?: string; marketTime?: string; eventId?: string };
}

interface FileView {
  source: string;
  state: string;
  skipReason: string | null;
  quarantinedLines: number | null;
}

/**
 * The markets index, skip reasons, BigQuery schema files and parse-job quarantine, driven over
 * HTTP on the local runtime as a user drives them.
 */
describe('what jobs leave behind for the market API and for loading, end to end over HTTP', () => {
  let harness: PipelineHarness;
  let files: ManifestEntry[];
  let described: Described[];
  let parseStatus: Record<string, unknown>;

  async function read(bucket: string, name: string): Promise<string> {
    return (await readAll(await harness.store.read(bucket, name))).toString();
  }

  async function runJob(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const submit = await harness.post<{ jobId: string }>('/api/pipeline/submit', request(body));
    expect(submit.status, JSON.stringify(submit.body)).toBe(201);
    return harness.waitForJob(submit.body.jobId, 120_000);
  }

  async function filesOf(jobId: string, state: string): Promise<FileView[]> {
    const answer = await harness.get<{ files: FileView[] }>(
      `/api/pipeline/${jobId}/files?state=${state}&limit=1000`,
    );
    expect(answer.status).toBe(200);
    return answer.body.files;
  }

  beforeAll(async () => {
    harness = await startPipeline();
    files = await generateJobInput(
      harness.store,
      SOURCE,
      { seed: 31, meetings: 2, racesPerMeeting: 2, updates: 30 },
      32,
    );
    described = await Promise.all(
      files
        .filter((file) => !failsInJob(file) && file.defect?.kind !== 'empty-file')
        .map(async (file) => {
          const text = bzip2Dc(await readAll(await harness.store.read(SOURCE, file.objectName)));
          const line = text
            .toString()
            .split('\n')
            .find((l) => l.includes('marketDefinition'))!;
          const [change] = (
            JSON.parse(line) as { mc: { id: string; marketDefinition: Described['definition'] }[] }
          ).mc;
          return { file, marketId: change!.id, definition: change!.marketDefinition };
        }),
    );
    parseStatus = await runJob({
      processType: 'decompress_concatenate_parse',
      outputPrefix: 'parsed/',
      outputShards: 2,
      products: ['markets', 'snapshots'],
      ladderDepth: 2,
    });
  }, 180_000);
  afterAll(() => harness.stop(), 60_000);

  it('finds each market a job read without bucket and object, answering as with them', async () => {
    expect(parseStatus.status).toBe('completed');
    for (const { file, marketId } of described.slice(0, 3)) {
      const [looked, given] = await Promise.all([
        harness.get<Record<string, unknown>>(`/api/markets/${marketId}/book?at=-60s`),
        harness.get<Record<string, unknown>>(
          `/api/markets/${marketId}/book?at=-60s&bucket=${SOURCE}&object=${file.objectName}`,
        ),
      ]);
      expect(looked.status, JSON.stringify(looked.body)).toBe(200);
      expect(looked.body).toEqual(given.body);
      const timeline = await harness.get<{ samples: unknown[] }>(
        `/api/markets/${marketId}/timeline?every=30s&from=-300s&to=off`,
      );
      expect(timeline.status, JSON.stringify(timeline.body)).toBe(200);
      expect(timeline.body.samples.length).toBeGreaterThan(0);
    }
    const unknown = await harness.get<{ code: string; detail: string }>(
      '/api/markets/1.100000001/book?at=off',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('MARKET.NOT_INDEXED');
    expect(unknown.body.detail).toMatch(/run a job over its file .* or give bucket and object/);
  });

  it('lists the indexed markets of a day and market type, with where each file is', async () => {
    const day = described.filter(
      (d) => d.definition.marketTime?.startsWith('2022-04-19') && d.definition.marketType === 'WIN',
    );
    expect(day.length).toBeGreaterThan(1);
    const answer = await harness.get<{ markets: Record<string, unknown>[] }>(
      '/api/markets?date=2022-04-19&marketType=WIN&limit=1000',
    );
    expect(answer.status).toBe(200);
    expect(answer.body.markets.map((m) => m.marketId)).toEqual(day.map((d) => d.marketId).sort());
    const first = day.find((d) => d.marketId === answer.body.markets[0]!.marketId)!;
    expect(answer.body.markets[0]).toMatchObject({
      bucket: SOURCE,
      object: first.file.objectName,
      venue: first.definition.venue,
      marketTime: first.definition.marketTime,
      jobId: parseStatus.jobId,
    });
  });

  it('writes each product’s BigQuery schema beside its shards, listed in the manifest', async () => {
    const outputs = parseStatus.outputFiles as string[];
    const manifest = JSON.parse(
      await read(
        TARGET,
        outputs.find((name) => name.endsWith('_MANIFEST.json'))!,
      ),
    ) as { shards: string[] };
    for (const product of ['markets', 'snapshots'] as const) {
      const shard = productShardName('parsed/', product, 0, 2, 'ndjson');
      const schemaName = `${shard.slice(0, shard.lastIndexOf('/') + 1)}${product}.schema.json`;
      expect(manifest.shards).toContain(schemaName);
      expect(outputs).toContain(schemaName);
      const schema = JSON.parse(await read(TARGET, schemaName)) as unknown;
      expect(schema).toEqual(bigQuerySchema(productColumns(product, { depth: 2 })));
      const columns = (schema as { name: string }[]).map((field) => field.name);
      const [row] = (await read(TARGET, shard)).split('\n');
      expect(Object.keys(JSON.parse(row!) as object)).toEqual(columns);
    }
  });

  it('quarantines the lines a parse job cannot read, by file and line number', async () => {
    const broken = files.find((f) => f.defect?.kind === 'invalid-json-lines')!;
    const invalid = broken.defect!.invalidLineNumbers!;
    const jobId = parseStatus.jobId as string;
    const succeeded = await filesOf(jobId, 'succeeded');
    const view = succeeded.find((f) => f.source === `gs://${SOURCE}/${broken.objectName}`)!;
    expect(view.quarantinedLines).toBe(invalid.length);
    expect(parseStatus.quarantinedLines).toBe(invalid.length);
    const quarantine = (await harness.store.list(TARGET, { prefix: 'parsed/_quarantine/' }))
      .objects;
    expect(quarantine).toHaveLength(1);
    const lines = (await read(TARGET, quarantine[0]!.name))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { source: string; line: number });
    expect(lines.map((l) => l.line)).toEqual(invalid);
    expect(new Set(lines.map((l) => l.source))).toEqual(new Set([broken.objectName]));
  });

  it('keeps with each file a filter skipped the filter and the value that did not match', async () => {
    const status = await runJob({
      selectedPaths: ['Apr/19'],
      outputPrefix: 'win-only/',
      outputShards: 1,
      filters: { marketTypes: ['WIN'] },
    });
    expect(status.status).toBe('completed');
    const skipped = await filesOf(status.jobId as string, 'skipped');
    const others = described.filter(
      (d) => d.file.objectName.includes('/Apr/19/') && d.definition.marketType !== 'WIN',
    );
    expect(others.length).toBeGreaterThan(0);
    expect(skipped.map((f) => [f.source, f.skipReason]).sort()).toEqual(
      others
        .map((d) => [
          `gs://${SOURCE}/${d.file.objectName}`,
          `marketType ${d.definition.marketType} not in [WIN]`,
        ])
        .sort(),
    );
    const succeeded = await filesOf(status.jobId as string, 'succeeded');
    expect(succeeded.every((f) => f.skipReason === null)).toBe(true);
  }, 180_000);
});

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../shared/cli/run.js';
import {
  PRODUCT_NAMES,
  productColumns,
  type ProductName,
} from '../../shared/engine/stream/products.js';
import { bigQuerySchema } from '../../shared/engine/stream/table.js';
import {
  DUCKDB_TYPES,
  localWarehousePath,
  queryRows,
  withDatabase,
} from '../../shared/platform/duckdb/database.js';
import { captureIo } from '../cli/capture-io.js';
import { aprilJob, generateJobInput, SOURCE_BUCKET } from '../support/job-input.js';
import { startPipeline, type PipelineHarness } from '../support/pipeline-harness.js';
import {
  HISTORIC_SAMPLES_DIR,
  historicSampleFiles,
  itWithSamples,
} from '../support/sample-data.js';
import { readAll } from '../support/temp-store.js';

const TARGET = 'warehouse-results';
const VENDOR = 'betfair-vendor';
const ALL_PRODUCTS = [...PRODUCT_NAMES];

/** The README's example: the five winners with the highest BSP. */
const TOP_WINNERS = (table: string) =>
  `SELECT market_id, selection_id, selection_name, bsp FROM ${table} ` +
  `WHERE result = 'WINNER' AND bsp IS NOT NULL ORDER BY bsp DESC, market_id, selection_id LIMIT 5`;

interface TableLoad {
  table: string;
  state: string;
  rowsLoaded: number;
  tableRows: number;
  errors: string[];
}

/**
 * direct_to_bigquery end to end over HTTP against the local runtime, every Pub/Sub message and
 * trigger event delivered twice: the products land in the embedded DuckDB warehouse with as
 * many rows as their shards have lines, `chimera query` answers over them, and running the
 * same job again leaves every table as it was.
 */
describe('a direct_to_bigquery job end to end over HTTP', () => {
  let harness: PipelineHarness;
  let dataDir: string;

  beforeAll(async () => {
    harness = await startPipeline({ BUS_DUPLICATE_DELIVERIES: 'true' });
    dataDir = path.dirname(harness.runtime.bucketsDir);
    await generateJobInput(
      harness.store,
      SOURCE_BUCKET,
      { seed: 13, meetings: 2, racesPerMeeting: 3, updates: 40 },
      7,
    );
    await harness.store.createBucket(VENDOR);
    for (const sample of historicSampleFiles()) {
      const name = path.relative(HISTORIC_SAMPLES_DIR, sample).split(path.sep).join('/');
      await harness.store.write(VENDOR, name, Readable.from([await readFile(sample)]));
    }
  }, 60_000);
  afterAll(() => harness.stop(), 60_000);

  async function read(name: string): Promise<string> {
    return (await readAll(await harness.store.read(TARGET, name))).toString();
  }

  async function runJob(body: Record<string, unknown>) {
    const submit = await harness.post<{ jobId: string }>('/api/pipeline/submit', body);
    expect(submit.status, JSON.stringify(submit.body)).toBe(201);
    const status = await harness.waitForJob(submit.body.jobId, 120_000);
    expect(status.status, JSON.stringify(status)).toBe('completed');
    expect((status.stages as Record<string, string>).load).toBe('completed');
    return status as Record<string, unknown> & { load: { tables: TableLoad[] } };
  }

  async function sql(query: string) {
    return withDatabase(localWarehousePath(dataDir), { readOnly: true }, (db) =>
      queryRows(db, query),
    );
  }

  async function tableCount(table: string): Promise<number> {
    return Number((await sql(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  }

  async function shardLines(prefix: string, product: ProductName | 'stream'): Promise<string[]> {
    const { objects } = await harness.store.list(TARGET, { prefix: `${prefix}output/${product}-` });
    const texts = await Promise.all(objects.map((o) => read(o.name)));
    return texts.join('').split('\n').filter(Boolean);
  }

  async function chimeraQuery(...args: string[]) {
    const io = captureIo();
    const code = await run(['query', ...args], { CHIMERA_DATA_DIR: dataDir }, io);
    expect(code, io.err()).toBe(0);
    return io.out();
  }

  it('loads every product with as many rows as its shards have lines, and again unchanged', async () => {
    const body = aprilJob(TARGET, {
      processType: 'direct_to_bigquery',
      outputPrefix: 'gen/',
      outputShards: 2,
      products: ALL_PRODUCTS,
      warehouse: { dataset: 'racing', tablePrefix: 'gen_', stream: true },
    });
    const first = await runJob(body);
    const counts = new Map<string, number>();
    for (const product of [...PRODUCT_NAMES, 'stream'] as const) {
      const lines = (await shardLines('gen/', product)).length;
      const table = `racing.gen_${product}`;
      expect(lines, product).toBeGreaterThan(0);
      expect(await tableCount(table), table).toBe(lines);
      expect(first.load.tables.find((t) => t.table === table)).toMatchObject({
        state: 'loaded',
        rowsLoaded: lines,
        tableRows: lines,
        errors: [],
      });
      counts.set(table, lines);
    }
    const loadErrors = JSON.parse(await read('gen/output/_LOAD_ERRORS.json')) as {
      tables: { errors: string[] }[];
    };
    expect(loadErrors.tables.map((t) => t.errors)).toEqual(
      [...PRODUCT_NAMES, 'stream'].map(() => []),
    );
    const [streamed] = (
      await sql(
        `SELECT count(DISTINCT market_id) AS markets, count(*) FILTER (WHERE line->>'op' = 'mcm') AS mcm, ` +
          `count(*) FILTER (WHERE epoch_ms(publish_time) = pt) AS timed FROM racing.gen_stream`,
      )
    ).rows;
    expect(streamed).toEqual({
      markets: counts.get('racing.gen_markets'),
      mcm: counts.get('racing.gen_stream'),
      timed: counts.get('racing.gen_stream'),
    });
    expect(first.outputFiles).toContain('gen/output/_LOAD_ERRORS.json');

    const again = await runJob(body);
    for (const [table, lines] of counts) {
      expect(await tableCount(table), table).toBe(lines);
      expect(again.load.tables.find((t) => t.table === table)?.tableRows).toBe(lines);
    }
  }, 240_000);

  it('answers the documented chimera query: the five winners with the highest BSP', async () => {
    const runners = (await shardLines('gen/', 'runners')).map(
      (line) => JSON.parse(line) as Record<string, unknown>,
    );
    const winners = runners
      .filter((r) => r.result === 'WINNER' && r.bsp !== null)
      .sort(
        (a, b) =>
          (b.bsp as number) - (a.bsp as number) ||
          String(a.market_id).localeCompare(String(b.market_id)) ||
          (a.selection_id as number) - (b.selection_id as number),
      )
      .slice(0, 5)
      .map((r) => ({
        market_id: r.market_id,
        selection_id: r.selection_id,
        selection_name: r.selection_name,
        bsp: r.bsp,
      }));
    expect(winners.length).toBeGreaterThan(0);
    const json = await chimeraQuery(TOP_WINNERS('racing.gen_runners'), '--format', 'json');
    expect(JSON.parse(json)).toEqual(winners);
    const csv = await chimeraQuery(TOP_WINNERS('racing.gen_runners'), '--format', 'csv');
    expect(csv.split('\n')[0]).toBe('market_id,selection_id,selection_name,bsp');
    expect(csv.trim().split('\n')).toHaveLength(winners.length + 1);
    const table = await chimeraQuery(TOP_WINNERS('racing.gen_runners'));
    expect(table).toContain(String(winners[0]!.selection_name));
    expect(table).toContain(`(${winners.length} row`);
  });

  it('refuses to change anything through chimera query', async () => {
    const io = captureIo();
    const code = await run(
      ['query', 'DELETE FROM racing.gen_runners'],
      { CHIMERA_DATA_DIR: dataDir },
      io,
    );
    expect(code).toBe(1);
    expect(io.err()).toMatch(/read-only/);
  });

  itWithSamples(
    'loads real Betfair files as Parquet, read back with the documented schema',
    async () => {
      const status = await runJob({
        sourceBucket: VENDOR,
        selectedPaths: [''],
        targetBucket: TARGET,
        processType: 'direct_to_bigquery',
        outputPrefix: 'vendor/',
        outputShards: 1,
        products: ['runners', 'markets'],
        format: 'parquet',
        warehouse: { dataset: 'vendor' },
      });
      for (const product of ['runners', 'markets'] as const) {
        const shard = path.join(
          harness.runtime.bucketsDir,
          TARGET,
          `vendor/output/${product}-00000-of-00001.parquet`,
        );
        const described = await withDatabase(':memory:', { readOnly: false }, async (db) => ({
          schema: await queryRows(db, `DESCRIBE SELECT * FROM read_parquet('${shard}')`),
          count: await queryRows(db, `SELECT count(*) AS n FROM read_parquet('${shard}')`),
        }));
        const documented = bigQuerySchema(productColumns(product));
        expect(described.schema.rows.map((r) => [r.column_name, r.column_type])).toEqual(
          documented.map((f) => [f.name, duckDbTypeName(f.type)]),
        );
        const rows = Number(described.count.rows[0]!.n);
        expect(rows, product).toBeGreaterThan(0);
        expect(await tableCount(`vendor.${product}`)).toBe(rows);
        expect(status.load.tables.find((t) => t.table === `vendor.${product}`)?.rowsLoaded).toBe(
          rows,
        );
      }
    },
  );

  it.each([
    [{ warehouse: { dataset: 'my-data' } }, /warehouse\.dataset.*letters, digits and underscores/],
    [{ warehouse: { tablePrefix: '1x' } }, /warehouse\.tablePrefix.*starting with a letter or _/],
    [{ warehouse: { location: 'eu west' } }, /warehouse\.location.*EU, US or europe-west2/],
    [{ warehouse: { datset: 'x' } }, /warehouse.*datset/],
    [
      { compression: 'gzip' },
      /compression: supported: none \(BigQuery loads a gzip file with one worker, at most 4 GB\)/,
    ],
    [{ format: 'xml' }, /format.*ndjson, csv, parquet/],
    [
      { processType: 'decompress_concatenate_parse', warehouse: { dataset: 'x' } },
      /warehouse.*only to processType direct_to_bigquery/,
    ],
  ])('refuses %j with a 400 that says what is allowed', async (extra, why) => {
    const answer = await harness.post<{ detail: string; code: string }>(
      '/api/pipeline/submit',
      aprilJob('never-made', { processType: 'direct_to_bigquery', ...extra }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('REQUEST.INVALID');
    expect(answer.body.detail).toMatch(why);
  });
});

/** DuckDB's name for a column type, as DESCRIBE prints it. */
function duckDbTypeName(type: keyof typeof DUCKDB_TYPES): string {
  return DUCKDB_TYPES[type] === 'TIMESTAMPTZ' ? 'TIMESTAMP WITH TIME ZONE' : DUCKDB_TYPES[type];
}

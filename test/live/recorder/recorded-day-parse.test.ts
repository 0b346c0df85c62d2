import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MarketBook } from '../../../shared/betfair/market-schemas.js';
import { startPipeline, type PipelineHarness } from '../../support/pipeline-harness.js';
import { readAll } from '../../support/temp-store.js';
import { BASE, BUCKET, recordDay, type RecordedDay } from './stream-day.js';

const TARGET = 'recorded-parse';

interface RunnerRow {
  market_id: string;
  selection_id: number;
  result: string;
  bsp: number | null;
  venue: string;
  market_time: string;
}

/**
 * A day the recorder filed as stream files goes through a parse job unchanged: the job reads
 * the recorder's own bucket and folder, and its runners table agrees with the books polled.
 */
describe('a recorded day through a parse job', () => {
  let day: RecordedDay;
  let harness: PipelineHarness;
  let rows: RunnerRow[];
  let status: Record<string, unknown>;

  beforeAll(async () => {
    day = await recordDay({ cadenceMinutes: 0 });
    await day.fx.close();
    harness = await startPipeline();
    await harness.store.createBucket(BUCKET);
    for await (const info of day.fx.store.listAll(BUCKET, { prefix: `${BASE}/stream/` })) {
      await harness.store.write(BUCKET, info.name, await day.fx.store.read(BUCKET, info.name));
    }
    const submit = await harness.post<{ jobId: string }>('/api/pipeline/submit', {
      sourceBucket: BUCKET,
      sourceDataset: `${BASE}/stream`,
      selectedPaths: ['2026/Feb/13'],
      sourceType: 'ndjson-gzip',
      processType: 'decompress_concatenate_parse',
      products: ['runners'],
      targetBucket: TARGET,
      createNewBucket: true,
      outputPrefix: 'day/',
      outputShards: 1,
    });
    expect(submit.status, JSON.stringify(submit.body)).toBe(201);
    status = await harness.waitForJob(submit.body.jobId, 90_000);
    const shard = await harness.store.read(TARGET, 'day/output/runners-00000-of-00001.ndjson');
    rows = (await readAll(shard))
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as RunnerRow);
  }, 240_000);
  afterAll(() => harness?.stop(), 60_000);

  it('completes over every filed market, one row per runner', () => {
    expect(status.status, JSON.stringify(status)).toBe('completed');
    const last = lastBooks(day);
    expect(new Set(rows.map((row) => row.market_id))).toEqual(new Set(last.keys()));
    const runners = [...last.values()].reduce((sum, book) => sum + book.runners.length, 0);
    expect(rows).toHaveLength(runners);
  });

  it('gives each runner the result and BSP of the last book polled', () => {
    const last = lastBooks(day);
    for (const row of rows) {
      const runner = last
        .get(row.market_id)
        ?.runners.find((entry) => entry.selectionId === row.selection_id);
      expect(row.result, `${row.market_id} ${row.selection_id}`).toBe(runner?.status);
      const actual = runner?.sp?.actualSP;
      expect(row.bsp).toBe(typeof actual === 'number' ? actual : null);
    }
    expect(rows.some((row) => row.result === 'WINNER')).toBe(true);
    expect(rows.some((row) => row.bsp !== null)).toBe(true);
  });
});

function lastBooks(day: RecordedDay): Map<string, MarketBook> {
  return new Map(day.polled.map(({ book }) => [book.marketId, book]));
}

import { afterEach, describe, expect, it } from 'vitest';
import { readAll } from '../../support/temp-store.js';
import { startRecorderFixture, type RecorderFixture } from './recorder-fixture.js';

const START = Date.parse('2026-02-13T13:00:00Z');

interface DashboardState {
  status: string;
  lastPoll: string | null;
  lastBooksPath: string | null;
  lastCataloguePath: string | null;
  stats: { api_errors: number; markets_cached: number; total_books_recorded: number };
  errors: { type: string; message: string }[];
  log: { message: string }[];
}

/** A recorder whose polls must fetch within `deadlineMs` and hold the lease `leaseTtlMs`. */
async function slowExchange(deadlineMs: number, leaseTtlMs: number) {
  const fx = await startRecorderFixture(
    { seed: 7, startTime: START, sessionTimeoutMinutes: null },
    {},
    { pollTiming: { deadlineMs, leaseTtlMs } },
  );
  expect((await fx.api('POST', '/api/recorder/start')).body).toMatchObject({ success: true });
  return fx;
}

const timed = async <T>(run: () => Promise<T>) => {
  const started = performance.now();
  const result = await run();
  return { result, ms: performance.now() - started };
};

describe('a poll against a slow exchange', () => {
  let fx: RecorderFixture | undefined;
  let minute = 0;
  const nextMinute = () => fx!.sim.setClock(START + ++minute * 60_000);
  const state = async () => (await fx!.api<DashboardState>('GET', '/api/state')).body;
  const whilePolling = async () => {
    while ((await fx!.deps.state.read())?.status !== 'POLLING') {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  afterEach(async () => {
    await fx?.close();
    fx = undefined;
    minute = 0;
  });

  it('ends by its deadline when every call takes 5 s, counts what failed, and is never doubled', async () => {
    fx = await slowExchange(2000, 6000);
    fx.sim.control({ latencyMs: 5000 });
    nextMinute();
    const first = timed(() => fx!.poll());
    await whilePolling();
    // The scheduler's next call while the first poll still runs finds the lease taken.
    expect(await fx.poll()).toMatchObject({ outcome: 'skipped' });
    const { result, ms } = await first;
    expect(result.outcome).toBe('polled');
    // Every request ended by the 2 s deadline, not after the 5 s answer (retries included).
    expect(ms).toBeLessThan(2000 + 2500);
    const after = await state();
    expect(after.status).toBe('RUNNING');
    expect(after.stats.api_errors).toBeGreaterThan(0);
    expect(after.errors.map((e) => e.message).join('\n')).toMatch(/got no answer within \d+ ms/);

    fx.sim.control({ latencyMs: 0 });
    nextMinute();
    expect(await fx.poll()).toMatchObject({ outcome: 'polled' });
    expect((await state()).stats.total_books_recorded).toBeGreaterThan(0);
  });

  it('writes what it fetched before the deadline and counts every request it could not make', async () => {
    fx = await slowExchange(3000, 8000);
    fx.sim.control({ latencyMs: 250 });
    nextMinute();
    const { result, ms } = await timed(() => fx!.poll());
    expect(result.outcome).toBe('polled');
    expect(ms).toBeLessThan(3000 + 2500);
    const after = await state();
    expect(after.lastCataloguePath).toMatch(/13-01-00\.ndjson$/);
    expect(after.lastBooksPath).toMatch(/13-01-00\.ndjson$/);
    const books = await readAll(
      await fx.store.read(fx.deps.config.recorder.bucket, after.lastBooksPath!),
    );
    const written = books.toString().trim().split('\n').length;
    expect(written).toBe(after.stats.total_books_recorded);
    expect(written).toBeGreaterThan(0);
    // Fewer books than markets: the rest were cut off by the deadline, and each is counted.
    expect(written).toBeLessThan(after.stats.markets_cached);
    expect(after.stats.api_errors).toBeGreaterThan(0);
    expect(after.errors.some((e) => /not sent|no answer within/.test(e.message))).toBe(true);
  });

  it('lets a poll that outlived its lease keep its files but not overwrite the newer poll', async () => {
    fx = await slowExchange(3000, 10_000);
    fx.sim.control({ latencyMs: 400 });
    nextMinute();
    const late = fx.poll();
    await whilePolling();
    // A minute later by the exchange's clock the first lease has expired; the next poll runs.
    nextMinute();
    const next = fx.poll();
    expect((await late).outcome).toBe('polled');
    expect((await next).outcome).toBe('polled');
    const after = await state();
    expect(after.lastPoll).toBe(new Date(START + 2 * 60_000).toISOString());
    expect(after.lastBooksPath).toMatch(/13-02-00\.ndjson$/);
    expect(after.errors.some((e) => e.type === 'POLL_LATE')).toBe(true);
    expect(after.log.at(-1)?.message).toMatch(/^Poll #\d+ complete/);
    const lateFiles = await fx.store.list(fx.deps.config.recorder.bucket, {
      prefix: 'betfair-live/7/2026-02-13/catalogue/13-01-00',
    });
    expect(lateFiles.objects).toHaveLength(1);
  });
});

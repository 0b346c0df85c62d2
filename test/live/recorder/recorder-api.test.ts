import path from 'node:path';
import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecorderFixture, type RecorderFixture } from './recorder-fixture.js';

const START = Date.parse('2026-02-13T13:00:00Z');

describe('the recorder API and poll function against the simulator', () => {
  let fx: RecorderFixture;
  let minute = 0;
  const tokens: string[] = [];
  /** Moves simulated time on a minute, so the next scheduled poll is due. */
  const nextMinute = () => fx.sim.setClock(START + ++minute * 60_000);
  const state = async () =>
    (await fx.api<{ status: string; stats: Record<string, number> }>('GET', '/api/state')).body;

  beforeAll(async () => {
    fx = await startRecorderFixture({ seed: 5, startTime: START, sessionTimeoutMinutes: null });
    tokens.push(fx.sim.sessionToken);
  });
  afterAll(() => fx?.close());

  it('does nothing while stopped, and records once started', async () => {
    expect((await fx.api('GET', '/api/health')).body).toEqual({
      status: 'ok',
      recorder: 'STOPPED',
    });
    expect(await fx.poll()).toMatchObject({ outcome: 'idle' });
    expect((await fx.api('POST', '/api/recorder/start')).body).toMatchObject({ success: true });
    expect((await fx.api('GET', '/api/health')).body).toMatchObject({ recorder: 'STARTING' });
    nextMinute();
    expect(await fx.poll()).toMatchObject({ outcome: 'polled' });
    expect((await fx.api('GET', '/api/health')).body).toMatchObject({ recorder: 'RUNNING' });
    expect(fx.sim.state.stats.snapshot().errors).toEqual({});
    expect(fx.sim.state.stats.snapshot().maxWeight).toBeLessThanOrEqual(200);
  });

  it('lets exactly one of two concurrent polls run', async () => {
    nextMinute();
    const results = await Promise.all([fx.poll(), fx.poll()]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['polled', 'skipped']);
  });

  it('retries a transient error inside the poll, and counts and shows the retried attempt', async () => {
    nextMinute();
    const before = (await state()).stats.api_errors ?? 0;
    fx.sim.control({ failNext: { count: 1, errorCode: 'SERVICE_BUSY' } });
    expect(await fx.poll()).toMatchObject({ outcome: 'polled' });
    const after = (
      await fx.api<{ stats: Record<string, number>; errors: { type: string; message: string }[] }>(
        'GET',
        '/api/state',
      )
    ).body;
    expect(after.stats.api_errors).toBe(before + 1);
    expect(after.errors.at(-1)).toMatchObject({
      type: 'API_ERROR',
      message: expect.stringMatching(/SERVICE_BUSY.*\(retried\)$/) as string,
    });
  });

  it('counts errors that outlast the retries, writes what was fetched, and tries again', async () => {
    nextMinute();
    fx.sim.control({ failRate: { probability: 0.3, errorCode: 'SERVICE_BUSY' } });
    const partial = await fx.poll();
    fx.sim.control({ failRate: { probability: 0, errorCode: 'SERVICE_BUSY' } });
    expect(partial.outcome).toBe('polled');
    const after = await state();
    expect(after.status).toBe('RUNNING');
    expect(after.stats.api_errors).toBeGreaterThan(0);
    const { body } = await fx.api<{ lastBooksPath: string }>('GET', '/api/state');
    expect(body.lastBooksPath).toMatch(/13-04-00\.ndjson$/);
    nextMinute();
    expect(await fx.poll()).toMatchObject({ outcome: 'polled' });
    expect((await state()).stats.api_errors).toBe(after.stats.api_errors);
  });

  it('stops on an expired session and resumes once a new SSOID is saved', async () => {
    fx.sim.control({ expireSession: 'ALL' });
    nextMinute();
    expect(await fx.poll()).toMatchObject({ outcome: 'auth_error' });
    expect((await fx.api('GET', '/api/health')).body).toMatchObject({ recorder: 'AUTH_ERROR' });
    nextMinute();
    expect(await fx.poll()).toMatchObject({ outcome: 'idle' });
    const token = fx.sim.issueSession();
    tokens.push(token);
    const saved = await fx.api('POST', '/api/config', { betfair_ssoid: token });
    expect(saved).toMatchObject({ status: 200, body: { success: true } });
    expect((await fx.api('GET', '/api/health')).body).toMatchObject({ recorder: 'RUNNING' });
    nextMinute();
    expect(await fx.poll()).toMatchObject({ outcome: 'polled' });
    const { body } = await fx.api<{ lastBooksPath: string }>('GET', '/api/state');
    expect(body.lastBooksPath).toMatch(/13-08-00\.ndjson$/);
  });

  it('masks the app key and session on read and keeps them out of buckets', async () => {
    const { body } = await fx.api<Record<string, unknown>>('GET', '/api/config');
    const token = tokens.at(-1) ?? '';
    expect(body.betfair_ssoid).toBe(`${token.slice(0, 4)}…${token.slice(-4)}`);
    expect(body.betfair_app_key).toMatch(/^(\*\*\*\*|.{4}….{4})$/);
    const file = path.join(fx.dataDir, 'secrets', 'recorder.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(path.relative(path.join(fx.dataDir, 'buckets'), file).startsWith('..')).toBe(true);
  });

  it('changes the faster cadence near the off at run time, and shows it', async () => {
    const before = await fx.api<Record<string, unknown>>('GET', '/api/config');
    expect(before.body).toMatchObject({ fast_cadence_minutes: 0, fast_cadence_polls: 4 });
    const saved = await fx.api('POST', '/api/config', {
      fast_cadence_minutes: 5,
      fast_cadence_polls: 3,
    });
    expect(saved.status).toBe(200);
    const after = await fx.api<Record<string, unknown>>('GET', '/api/config');
    expect(after.body).toMatchObject({ fast_cadence_minutes: 5, fast_cadence_polls: 3 });
    await fx.api('POST', '/api/config', { fast_cadence_minutes: 0 });
  });

  it('validates a session before it is saved', async () => {
    const good = await fx.api('POST', '/api/validate-session', { ssoid: tokens.at(-1) });
    expect(good.body).toMatchObject({ valid: true, success: true });
    const bad = await fx.api('POST', '/api/validate-session', {
      ssoid: 'not-a-session-token-at-all',
      app_key: fx.sim.appKey,
    });
    expect(bad.body).toMatchObject({ valid: false });
  });

  it.each([
    ['/api/config', { poll_interval_seconds: 'often' }, 'poll_interval_seconds'],
    ['/api/config', { poll_interval_seconds: 5 }, 'at least 60'],
    ['/api/config', { countries: ['gb'] }, 'countries.0'],
    ['/api/config', { price_projection: ['EX_EVERYTHING'] }, 'price_projection.0'],
    ['/api/config', { surprise: true }, 'surprise'],
    ['/api/config', { fast_cadence_minutes: 90 }, 'must be 0 (off) to 60 minutes'],
    ['/api/config', { fast_cadence_polls: 30 }, 'must be 2 to 12 polls a minute'],
    ['/api/config', '{"countries": [', ''],
    ['/api/validate-session', {}, 'ssoid'],
  ])('answers 400 to POST %s %j', async (route, body, hint) => {
    const response = await fx.api<{ detail: string }>('POST', route, body);
    expect(response.status).toBe(400);
    expect(response.body.detail).toContain(hint);
  });

  it('serves the lines of a market it is recording, and its price history and book from them', async () => {
    nextMinute();
    expect(await fx.poll()).toMatchObject({ outcome: 'polled' });
    const { markets } = (
      await fx.api<{ markets: { marketId: string; status: string; streamFile: string | null }[] }>(
        'GET',
        '/api/state',
      )
    ).body;
    const open = markets.find((m) => m.status === 'OPEN' && m.streamFile === null);
    expect(open).toBeDefined();
    const base = `/api/recorder/markets/${open!.marketId}`;
    const stream = await fx.api<{ detail: string }>('GET', `${base}/stream`);
    expect(stream.status).toBe(200);
    const lines = stream.body.detail
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { clk: string; pt: number; mc: { id: string }[] });
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]!.mc[0]).toMatchObject({ id: open!.marketId, img: true });
    expect(lines.map((line) => line.clk)).toEqual(lines.map((_, i) => String(i + 1)));

    const first = lines[0]!.pt;
    const last = lines.at(-1)!.pt;
    const from = new Date(first).toISOString();
    const timeline = await fx.api<{ samples: { time: string }[]; to: { time: string } }>(
      'GET',
      `${base}/timeline?from=${from}&every=60s`,
    );
    expect(timeline.status).toBe(200);
    expect(timeline.body.to.time).toBe(new Date(last).toISOString());
    expect(timeline.body.samples).toHaveLength(Math.floor((last - first) / 60_000) + 1);
    const book = await fx.api<{ marketId: string; publishTime: string }>(
      'GET',
      `${base}/book?at=close`,
    );
    expect(book.status).toBe(200);
    expect(book.body.marketId).toBe(open!.marketId);

    const elsewhere = await fx.api('GET', `${base}/timeline?bucket=b&object=o`);
    expect(elsewhere.status).toBe(400);
    const never = await fx.api('GET', '/api/recorder/markets/1.999999999/stream');
    expect(never.status).toBe(404);
    expect(JSON.stringify(never.body)).toContain('has no recorded lines');
  });

  it('keeps run-time settings in the overlay', async () => {
    const saved = await fx.api('POST', '/api/config', { countries: ['GB'], market_types: ['WIN'] });
    expect(saved.body).toMatchObject({ config: { countries: ['GB'], market_types: ['WIN'] } });
    expect((await fx.api('GET', '/api/config')).body).toMatchObject({ countries: ['GB'] });
  });

  it('tests the bucket, keeps the session alive and lists a debug catalogue', async () => {
    expect((await fx.api('POST', '/api/test-gcs')).body).toMatchObject({ success: true });
    expect((await fx.api('GET', '/api/keepalive')).body).toMatchObject({
      status: 'ok',
      recorder: 'RUNNING',
      keepalive: 'SUCCESS',
    });
    const debug = await fx.api<{ count: number }>('GET', '/api/debug/catalogue');
    expect(debug.body.count).toBeGreaterThan(0);
    expect((await fx.api('POST', '/api/recorder/stop')).body).toMatchObject({ success: true });
    expect((await fx.api('GET', '/api/health')).body).toMatchObject({ recorder: 'STOPPED' });
  });

  it('never puts the app key or a session token in a response or a log line', () => {
    expect(fx.bodies.length).toBeGreaterThan(20);
    expect(fx.logLines.length).toBeGreaterThan(0);
    for (const secret of [fx.sim.appKey, ...tokens]) {
      for (const text of [...fx.bodies, ...fx.logLines]) expect(text).not.toContain(secret);
    }
  });
});

import { http } from '@google-cloud/functions-framework';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalScheduler, type SchedulerJobInput } from '../../../shared/local/scheduler.js';
import { hasCode } from '../../../shared/platform/errors.js';
import { serveFunction, waitFor, type ServedFunction } from '../delivery/serve-function.js';

interface Call {
  method: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

const calls: Call[] = [];
let answer = 204;
/** While set, the target holds each request until this promise resolves. */
let hold: Promise<void> | undefined;

http('recorderPoll', async (req, res) => {
  calls.push({ method: req.method, headers: req.headers, body: req.body as unknown });
  if (hold) await hold;
  res.status(answer).send();
});

/** A gate the test opens to let held requests finish. */
function gate(): () => void {
  let open = () => {};
  hold = new Promise((resolve) => {
    open = () => {
      hold = undefined;
      resolve();
    };
  });
  return open;
}

describe('LocalScheduler', () => {
  let target: ServedFunction;
  let scheduler: LocalScheduler | undefined;

  const job = (overrides: Partial<SchedulerJobInput> = {}): SchedulerJobInput => ({
    name: 'recorder-poll',
    schedule: '0 0 1 1 *',
    timeZone: 'Europe/London',
    url: target.url,
    method: 'POST',
    body: '{"source":"scheduler"}',
    headers: { 'Content-Type': 'application/json' },
    ...overrides,
  });

  beforeAll(async () => {
    target = await serveFunction('recorderPoll');
  });
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    calls.length = 0;
    answer = 204;
  });
  afterAll(() => target.close());

  it('calls the target on its schedule with Cloud Scheduler headers and body', async () => {
    scheduler = new LocalScheduler({ jobs: [job({ schedule: '* * * * * *' })] });
    scheduler.start();
    await waitFor(() => calls.length > 0, 2500);
    await scheduler.stop();
    const [call] = calls;
    expect(call?.method).toBe('POST');
    expect(call?.body).toEqual({ source: 'scheduler' });
    expect(call?.headers).toMatchObject({
      'user-agent': 'Google-Cloud-Scheduler',
      'x-cloudscheduler': 'true',
      'x-cloudscheduler-jobname': 'recorder-poll',
    });
    const scheduled = new Date(call?.headers['x-cloudscheduler-scheduletime'] as string);
    expect(scheduled.getUTCMilliseconds()).toBe(0);
    expect(scheduler.status()[0]).toMatchObject({
      runs: 1,
      lastResult: { outcome: 'succeeded', status: 204 },
    });
  });

  it('skips a scheduled run while the previous call is still in flight', async () => {
    const open = gate();
    scheduler = new LocalScheduler({ jobs: [job({ schedule: '* * * * * *' })] });
    scheduler.start();
    await waitFor(() => (scheduler?.status()[0]?.skips ?? 0) >= 1, 3000);
    expect(calls).toHaveLength(1);
    open();
  });

  it('runs a job on demand and reports the outcome', async () => {
    scheduler = new LocalScheduler({ jobs: [job()] });
    expect(await scheduler.runNow('recorder-poll')).toMatchObject({
      outcome: 'succeeded',
      status: 204,
    });
    answer = 500;
    expect(await scheduler.runNow('recorder-poll')).toMatchObject({
      outcome: 'failed',
      status: 500,
    });
    expect(calls).toHaveLength(2);
  });

  it('skips a manual run while one is in flight', async () => {
    const open = gate();
    scheduler = new LocalScheduler({ jobs: [job()] });
    const first = scheduler.runNow('recorder-poll');
    await waitFor(() => calls.length === 1);
    expect(await scheduler.runNow('recorder-poll')).toMatchObject({ outcome: 'skipped' });
    open();
    expect(await first).toMatchObject({ outcome: 'succeeded' });
    expect(calls).toHaveLength(1);
  });

  it('fails a call that passes the attempt deadline', async () => {
    const open = gate();
    scheduler = new LocalScheduler({ jobs: [job({ attemptDeadlineMs: 50 })] });
    expect(await scheduler.runNow('recorder-poll')).toMatchObject({ outcome: 'failed' });
    open();
  });

  it('stops firing after stop()', async () => {
    // croner schedules with setTimeout and reads the time from Date; both are faked here, so
    // several seconds pass at once. A run that did fire would show as a call in flight.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      scheduler = new LocalScheduler({ jobs: [job({ schedule: '* * * * * *' })] });
      scheduler.start();
      await scheduler.stop();
      await vi.advanceTimersByTimeAsync(5_000);
      expect(scheduler.status()[0]).toMatchObject({ running: false, runs: 0, skips: 0 });
      expect(calls).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it.each([
    [
      'an unknown job',
      () => new LocalScheduler({ jobs: [] }).runNow('nope'),
      'SCHEDULER.JOB_NOT_FOUND',
    ],
    [
      'a bad cron expression',
      () =>
        Promise.resolve().then(() =>
          new LocalScheduler({ jobs: [job({ schedule: 'every day' })] }).start(),
        ),
      'SCHEDULER.INVALID_SCHEDULE',
    ],
    [
      'a duplicate job name',
      () => Promise.resolve().then(() => new LocalScheduler({ jobs: [job(), job()] })),
      'SCHEDULER.DUPLICATE_JOB',
    ],
    [
      'a job without a URL',
      () => Promise.resolve().then(() => new LocalScheduler({ jobs: [job({ url: 'not a url' })] })),
      'REQUEST.INVALID',
    ],
  ] as const)('rejects %s', async (_case, act, code) => {
    const error = await act().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(hasCode(error, code)).toBe(true);
  });
});

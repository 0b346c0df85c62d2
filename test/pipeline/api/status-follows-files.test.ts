import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMeteredRuntime, type MeteredRuntime } from './fixtures/metered-runtime.js';

/** How far /status may trail the files. */
const STATUS_LAG_MS = 2000;

describe('a running job’s status on the local runtime', () => {
  let rt: MeteredRuntime;

  // Two deliveries at once for a job with no worker limit: a whole page of work orders (of two
  // files each) waits in the runtime's delivery queue, ahead of the status events its files cause.
  beforeAll(async () => {
    rt = await startMeteredRuntime({ BUS_CONCURRENCY: '2', DECOMPRESS_FILES_PER_MESSAGE: '2' }, 4);
  }, 60_000);
  afterAll(() => rt?.runtime.stop(), 60_000);

  it('shows every file that finished within two seconds, in counts and progress', async () => {
    await rt.hold(300);
    const jobId = await rt.submit({ dataflowMaxWorkers: 'AUTO' });
    const reads: { readAt: number; shown: number }[] = [];
    const finished = await rt.follow(jobId, (status, readAt) => {
      const shown = Number(status.filesSucceeded) + Number(status.filesFailed);
      if (status.status === 'running') {
        expect(Number(status.progress)).toBe(Math.min(99, Math.floor((shown * 100) / rt.files)));
      }
      reads.push({ readAt, shown });
    });
    expect(finished.status).toBe('completed');
    // Each read against the files whose work had ended two seconds before it was asked for.
    const { finishedAt } = await rt.meter();
    const lags = reads.map(({ readAt, shown }) => ({
      due: finishedAt.filter((t) => t <= readAt - STATUS_LAG_MS).length,
      shown,
    }));
    expect(lags.filter(({ due }) => due > 0).length).toBeGreaterThan(5);
    expect(lags.filter(({ due, shown }) => shown < due)).toEqual([]);
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decompressMeter } from './fixtures/decompress-meter.js';
import { startMeteredRuntime, type MeteredRuntime } from './fixtures/metered-runtime.js';

/** How far /status may trail the files. */
const STATUS_LAG_MS = 2000;

describe('a running job’s status on the local runtime', () => {
  let rt: MeteredRuntime;

  // Two deliveries at once for a job with no worker limit: a whole page of decompress messages
  // waits in the runtime's delivery queue, ahead of the status events its files cause.
  beforeAll(async () => {
    rt = await startMeteredRuntime({ BUS_CONCURRENCY: '2' }, 4);
  }, 60_000);
  afterAll(() => rt?.runtime.stop(), 60_000);

  it('shows every file that finished within two seconds, in counts and progress', async () => {
    decompressMeter.holdMs = 150;
    const jobId = await rt.submit({ dataflowMaxWorkers: 'AUTO' });
    const lags: { due: number; shown: number }[] = [];
    const finished = await rt.follow(jobId, (status, readAt) => {
      const due = decompressMeter.finishedAt.filter((t) => t <= readAt - STATUS_LAG_MS).length;
      const shown = Number(status.filesSucceeded) + Number(status.filesFailed);
      if (status.status === 'running') {
        expect(Number(status.progress)).toBe(Math.min(99, Math.floor((shown * 100) / rt.files)));
      }
      lags.push({ due, shown });
    });
    expect(finished.status).toBe('completed');
    expect(lags.filter(({ due }) => due > 0).length).toBeGreaterThan(5);
    expect(lags.filter(({ due, shown }) => shown < due)).toEqual([]);
  }, 120_000);
});

import { describe, expect, it } from 'vitest';
import { jobStatusHandler } from '../../../shared/pipeline/status/job-status.js';
import type { ProgressStore } from '../../../shared/pipeline/stores.js';
import { createLogger } from '../../../shared/platform/logging.js';

const unavailable = Object.assign(new Error('14 UNAVAILABLE: connection refused'), { code: 14 });
const down: ProgressStore = {
  read: () => Promise.reject(unavailable),
  tally: () => Promise.reject(unavailable),
  claimRecount: () => Promise.reject(unavailable),
  apply: () => Promise.reject(unavailable),
};

const handler = jobStatusHandler({
  progressStore: down,
  jobStore: { log: () => Promise.reject(unavailable) },
  logger: createLogger({ minSeverity: 'ERROR', write: () => undefined }),
  clock: () => new Date(),
  minWriteIntervalMs: 1000,
});

const outcome = {
  fileId: { stringValue: 'f1' },
  state: { stringValue: 'succeeded' },
  source: { stringValue: 'PRO/1.2.bz2' },
};
const finished = {
  value: {
    name: 'projects/p/databases/(default)/documents/dataflow-jobs/j1/orders/f1',
    fields: { recorded: { arrayValue: { values: [{ mapValue: { fields: outcome } }] } } },
    createTime: '2024-01-19T12:00:00Z',
    updateTime: '2024-01-19T12:00:01Z',
  },
};

describe('jobStatusHandler', () => {
  it('throws when Firestore is down, so the trigger redelivers', async () => {
    await expect(handler({ id: 'e1', data: finished })).rejects.toThrow('UNAVAILABLE');
  });

  it.each([
    ['a malformed event', { value: { name: 'x' } }],
    ['a deletion', { oldValue: finished.value }],
  ])('acknowledges %s without touching Firestore', async (_, data) => {
    await expect(handler({ id: 'e2', data })).resolves.toBeUndefined();
  });
});

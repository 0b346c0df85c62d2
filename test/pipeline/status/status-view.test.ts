import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../shared/pipeline/job-model.js';
import {
  toHistoryItem,
  toLogsResponse,
  toStatusResponse,
} from '../../../shared/pipeline/status/status-view.js';
import { runningJob } from './status-fixture.js';

const CREATED = new Date('2024-01-19T12:00:00.000Z');
const at = (seconds: number) => new Date(CREATED.getTime() + seconds * 1000);

/** A 10-file, 10 000-byte job; `done` files succeeded, each 1000 bytes and 50 records. */
function job(done: number, overrides: Partial<JobRecord> = {}): JobRecord {
  const base = runningJob('2024-01-19-abc12345', 10, CREATED);
  return {
    ...base,
    startedAt: at(10),
    plan: { ...base.plan, skipped: 2 },
    progress: {
      ...base.progress,
      succeeded: done,
      bytesRead: done * 1000,
      bytesWritten: done * 4000,
      records: done * 50,
      quarantinedLines: done,
      updatedAt: at(100),
    },
    ...overrides,
  };
}

describe('toStatusResponse', () => {
  it.each([
    [
      'submitted, nothing read',
      job(0, { status: 'submitted', startedAt: null }),
      at(5),
      { progress: 0, recordsTotal: 0, estimatedSecondsRemaining: null, throughputRecordsPerSec: 0 },
    ],
    [
      'running, 4 of 10 files read in 40 s of work',
      job(4),
      at(50),
      {
        progress: 40,
        recordsProcessed: 200,
        recordsTotal: 500,
        bytesRead: 4000,
        bytesTotal: 10_000,
        elapsedSeconds: 50,
        estimatedSecondsRemaining: 60,
        throughputRecordsPerSec: 5,
      },
    ],
    [
      'running, every file done, output still being finalized',
      job(10),
      at(110),
      { progress: 99, recordsTotal: 500, estimatedSecondsRemaining: null },
    ],
    [
      'completed',
      job(10, { status: 'completed', completedAt: at(120) }),
      at(999),
      {
        progress: 100,
        recordsTotal: 500,
        elapsedSeconds: 120,
        estimatedSecondsRemaining: 0,
        throughputRecordsPerSec: 4.5,
        completedAt: '2024-01-19T12:02:00.000Z',
      },
    ],
    [
      'cancelled half way',
      job(5, { status: 'cancelled', completedAt: at(60) }),
      at(999),
      { progress: 50, recordsTotal: 250, estimatedSecondsRemaining: 0 },
    ],
  ])('%s', (_, record, now, expected) => {
    expect(toStatusResponse(record, now)).toMatchObject(expected);
  });

  it('carries the predecessor fields and the per-file extras', () => {
    const record = job(3, {
      errorMessage: null,
      outputFiles: ['out/output-00000-of-00010.ndjson'],
    });
    record.progress.failed = 1;
    record.progress.cancelled = 1;
    expect(toStatusResponse(record, at(40))).toEqual({
      jobId: '2024-01-19-abc12345',
      dataflowJobId: 'exec-2024-01-19-abc12345',
      status: 'running',
      progress: 50,
      recordsProcessed: 150,
      recordsTotal: 500,
      bytesRead: 3000,
      bytesTotal: 10_000,
      elapsedSeconds: 40,
      estimatedSecondsRemaining: 70,
      throughputRecordsPerSec: 5,
      stages: record.stages,
      createdAt: '2024-01-19T12:00:00.000Z',
      completedAt: null,
      errorMessage: null,
      outputLocation: 'gs://target/out/',
      dataflowUrl: null,
      filesTotal: 10,
      filesSucceeded: 3,
      filesFailed: 1,
      filesSkipped: 2,
      filesCancelled: 1,
      quarantinedLines: 3,
      outputFiles: ['out/output-00000-of-00010.ndjson'],
    });
  });
});

describe('toHistoryItem', () => {
  it.each([
    ['running', job(4), { status: 'running', completedAt: null, durationSeconds: null }],
    [
      'completed',
      job(10, { status: 'completed', completedAt: at(90.4) }),
      { status: 'completed', completedAt: '2024-01-19T12:01:30.400Z', durationSeconds: 90 },
    ],
  ])('%s', (_, record, expected) => {
    expect(toHistoryItem(record)).toEqual({
      jobId: '2024-01-19-abc12345',
      dataflowJobId: 'exec-2024-01-19-abc12345',
      sourceType: 'betfair',
      sourceDataset: 'PRO/2022',
      selectedPaths: ['Apr/19'],
      processType: 'decompress_and_concatenate',
      targetBucket: 'target',
      outputPrefix: 'out',
      createdAt: '2024-01-19T12:00:00.000Z',
      recordsProcessed: record.progress.records,
      bytesProcessed: record.progress.bytesRead,
      outputFiles: [],
      outputShards: 10,
      ...expected,
    });
  });
});

describe('toLogsResponse', () => {
  it('formats each line as "[time] message", oldest first as given', () => {
    expect(
      toLogsResponse([
        { time: CREATED, message: 'Pipeline submitted', severity: 'INFO' },
        { time: at(1.25), message: 'File PRO/1.2.bz2 failed: bad CRC', severity: 'ERROR' },
      ]),
    ).toEqual({
      logs: [
        '[2024-01-19T12:00:00Z] Pipeline submitted',
        '[2024-01-19T12:00:01Z] File PRO/1.2.bz2 failed: bad CRC',
      ],
    });
  });
});

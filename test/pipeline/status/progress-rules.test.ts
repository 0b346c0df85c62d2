import { describe, expect, it } from 'vitest';
import {
  initialProgress,
  progressOf,
  type FileState,
  type FileStatus,
  type JobProgress,
} from '../../../shared/pipeline/job-model.js';
import {
  advanceStages,
  decideProgressWrite,
  isCovered,
  isRecountedIn,
  milestoneLogs,
  slotOf,
} from '../../../shared/pipeline/status/progress-rules.js';
import type { JobProgressState } from '../../../shared/pipeline/stores.js';

const T0 = new Date('2024-01-19T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function progress(done: Partial<JobProgress>, updatedAt: Date): JobProgress {
  return {
    ...initialProgress(updatedAt),
    ...done,
    updatedAt,
  };
}

function job(
  stored: JobProgress | null,
  overrides: Partial<JobProgressState> = {},
): JobProgressState {
  return {
    status: 'running',
    filesPlanned: 8,
    progress: stored,
    stages: {
      read: 'waiting',
      decompress: 'waiting',
      concatenate: 'waiting',
      write: 'waiting',
      validate: 'waiting',
    },
    ...overrides,
  };
}

describe('isCovered', () => {
  it.each([
    [null, 0, false],
    [at(10), 0, true],
    [at(10), 10, false], // counted in the change's own millisecond: maybe before it
    [at(10), 11, false],
  ])('stored at %s, change at +%i ms → %s', (updatedAt, changed, covered) => {
    const stored = updatedAt && progress({}, updatedAt);
    expect(isCovered(stored, at(changed))).toBe(covered);
  });
});

describe('recount slots', () => {
  it('numbers slots by interval and knows whether one was recounted', () => {
    expect(slotOf(at(999), 1000)).toBe(slotOf(T0, 1000));
    expect(slotOf(at(1000), 1000)).toBe(slotOf(T0, 1000) + 1);
    const slot = slotOf(at(1500), 1000);
    expect(isRecountedIn(progress({}, at(1001)), slot, 1000)).toBe(true);
    expect(isRecountedIn(progress({}, at(999)), slot, 1000)).toBe(false);
    expect(isRecountedIn(null, slot, 1000)).toBe(false);
  });
});

describe('advanceStages', () => {
  it.each([
    ['waiting', 'in_progress', { read: 'in_progress', decompress: 'in_progress' }],
    ['in_progress', 'completed', { read: 'completed', decompress: 'completed' }],
    ['completed', 'in_progress', undefined],
    ['failed', 'completed', undefined],
    ['in_progress', 'in_progress', undefined],
  ] as const)('%s → %s', (from, target, expected) => {
    const stages = { ...job(null).stages, read: from, decompress: from };
    expect(advanceStages({ status: 'running', stages }, target)).toEqual(expected);
  });

  it('leaves the stages of a cancelled or failed job alone', () => {
    for (const status of ['cancelled', 'failed'] as const) {
      expect(advanceStages({ status, stages: job(null).stages }, 'completed')).toBeUndefined();
    }
  });
});

describe('decideProgressWrite', () => {
  const tally = progress({ succeeded: 3, failed: 1, records: 40 }, at(2000));

  it('writes newer totals, moves the stages on and logs the milestone passed', () => {
    const update = decideProgressWrite(job(progress({ succeeded: 1 }, at(500))), tally, at(2100));
    expect(update).toEqual({
      progress: tally,
      stages: { read: 'in_progress', decompress: 'in_progress' },
      logs: [
        {
          id: 'progress-50',
          entry: {
            time: at(2100),
            severity: 'INFO',
            message: '50% of files done (4 of 8): 3 succeeded, 1 failed, 0 cancelled',
          },
        },
      ],
    });
  });

  it.each([
    [3000, false],
    [2000, false],
    [1999, true],
  ])('with totals stored as of +%i ms, writes totals of +2000 ms: %s', (storedAt, writes) => {
    const update = decideProgressWrite(job(progress({}, at(storedAt))), tally, at(3100));
    expect(update !== null).toBe(writes);
  });

  it('completes the file stages when every planned file is done', () => {
    const all = progress({ succeeded: 6, failed: 1, cancelled: 1 }, at(2000));
    expect(decideProgressWrite(job(null), all, at(2000))?.stages).toEqual({
      read: 'completed',
      decompress: 'completed',
    });
  });
});

describe('milestoneLogs', () => {
  const idsFor = (before: number, after: number, planned = 100) =>
    (milestoneLogs(before, progress({ succeeded: after }, T0), planned, T0) ?? []).map((l) => l.id);

  it.each([
    [0, 1, ['progress-first']],
    [1, 2, []],
    [0, 30, ['progress-25']],
    [24, 25, ['progress-25']],
    [25, 49, []],
    [10, 80, ['progress-75']],
    [99, 100, ['progress-100']],
    [100, 100, []],
  ])('from %i to %i of 100 files → %j', (before, after, ids) => {
    expect(idsFor(before, after)).toEqual(ids);
  });

  it('says the furthest milestone once for a one-file job', () => {
    expect(idsFor(0, 1, 1)).toEqual(['progress-100']);
  });

  it('summarises the job when all files are done', () => {
    const [line] =
      milestoneLogs(1, progress({ succeeded: 2, failed: 1, records: 1234 }, T0), 3, T0) ?? [];
    expect(line?.entry.message).toBe(
      'All 3 files done: 2 succeeded, 1 failed, 0 cancelled; 1234 records',
    );
  });
});

describe('progressOf (the finalize step’s totals)', () => {
  const file = (state: FileState, lines = 0): FileStatus => ({
    jobId: 'j',
    fileId: `f-${state}-${lines}`,
    index: 0,
    source: { bucket: 'b', name: 'n', generation: '1' },
    state,
    attempts: 1,
    result:
      state === 'succeeded'
        ? {
            output: 'o',
            bytesIn: 10,
            bytesOut: lines * 100,
            lines,
            quarantinedLines: 1,
            durationMs: 5,
          }
        : undefined,
    updatedAt: T0,
  });

  it('counts each terminal state and sums only the succeeded files’ results', () => {
    const files = [
      file('succeeded', 3),
      file('succeeded', 4),
      file('failed'),
      file('skipped'),
      file('cancelled'),
      file('running'),
    ];
    expect(progressOf(files, at(5))).toEqual({
      succeeded: 2,
      failed: 1,
      cancelled: 1,
      skipped: 1,
      bytesRead: 20,
      bytesWritten: 700,
      records: 7,
      quarantinedLines: 2,
      updatedAt: at(5),
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { FileChange } from '../../../shared/pipeline/status/file-change.js';
import { recordFileChange, SeenJobs } from '../../../shared/pipeline/status/job-status.js';
import type { JobProgressState, ProgressStore } from '../../../shared/pipeline/stores.js';
import { createLogger } from '../../../shared/platform/logging.js';

const NOW = new Date('2024-01-19T12:00:10.500Z');

function job(stage: 'waiting' | 'in_progress', countedAt: Date): JobProgressState {
  return {
    status: 'running',
    filesPlanned: 10,
    progress: {
      succeeded: 1,
      failed: 0,
      cancelled: 0,
      bytesRead: 1,
      bytesWritten: 1,
      records: 1,
      quarantinedLines: 0,
      updatedAt: countedAt,
    },
    stages: {
      read: stage,
      decompress: stage,
      concatenate: 'waiting',
      write: 'waiting',
      validate: 'waiting',
    },
  };
}

function harness(stored: JobProgressState) {
  const calls = { read: 0, claim: 0 };
  const progressStore: ProgressStore = {
    read: () => {
      calls.read += 1;
      return Promise.resolve(stored);
    },
    tally: () => Promise.resolve(stored.progress!),
    claimRecount: () => {
      calls.claim += 1;
      return Promise.resolve(false);
    },
    apply: () => Promise.resolve(null),
  };
  const deps = {
    progressStore,
    jobStore: { log: () => Promise.resolve() },
    logger: createLogger({ minSeverity: 'ERROR', write: () => undefined }),
    clock: () => NOW,
    minWriteIntervalMs: 1000,
    seen: new SeenJobs(),
  };
  return { deps, calls };
}

function change(state: 'running' | 'succeeded', changedAt: Date): FileChange {
  return { jobId: 'j1', fileId: 'f1', before: undefined, after: { state }, changedAt };
}

describe('the status trigger remembering jobs it read', () => {
  it('reads a job once for files starting after its stages have begun', async () => {
    const { deps, calls } = harness(job('in_progress', new Date('2024-01-19T12:00:09Z')));
    for (let i = 0; i < 3; i += 1) await recordFileChange(deps, change('running', NOW));
    expect(calls.read).toBe(1);
  });

  it('skips finished files its last read already counted, and reads for the others', async () => {
    const { deps, calls } = harness(job('in_progress', new Date('2024-01-19T12:00:09Z')));
    await recordFileChange(deps, change('succeeded', new Date('2024-01-19T12:00:08Z')));
    await recordFileChange(deps, change('succeeded', new Date('2024-01-19T12:00:07Z')));
    expect(calls).toEqual({ read: 1, claim: 0 });
    await recordFileChange(deps, change('succeeded', new Date('2024-01-19T12:00:09.900Z')));
    expect(calls).toEqual({ read: 2, claim: 1 });
  });

  it('still reads while the stages it last saw were waiting', async () => {
    const { deps, calls } = harness(job('waiting', new Date('2024-01-19T12:00:09Z')));
    await recordFileChange(deps, change('running', NOW));
    await recordFileChange(deps, change('running', NOW));
    expect(calls.read).toBe(2);
  });
});

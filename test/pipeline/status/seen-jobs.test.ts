import { describe, expect, it } from 'vitest';
import type { OrderChange } from '../../../shared/pipeline/status/order-change.js';
import { recordOrderChange, SeenJobs } from '../../../shared/pipeline/status/job-status.js';
import type { JobProgressState, ProgressStore } from '../../../shared/pipeline/stores.js';
import { createLogger } from '../../../shared/platform/logging.js';

const NOW = new Date('2024-01-19T12:00:10.500Z');

/** A running job whose files have begun, its totals counted at `countedAt`. */
function job(countedAt: Date): JobProgressState {
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
      read: 'in_progress',
      decompress: 'in_progress',
      concatenate: 'waiting',
      write: 'waiting',
      validate: 'waiting',
    },
  };
}

/** A progress store holding `stored`, where claims of the slots in `free` succeed. */
function harness(stored: JobProgressState, free: readonly number[] = []) {
  const calls = { read: 0, claim: 0 };
  const claimed: number[] = [];
  const recounts: number[] = [];
  const sleeps: number[] = [];
  const progressStore: ProgressStore = {
    read: () => {
      calls.read += 1;
      return Promise.resolve(stored);
    },
    tally: () => {
      recounts.push(NOW.getTime() + sleeps.reduce((a, b) => a + b, 0));
      return Promise.resolve(stored.progress!);
    },
    claimRecount: (_jobId, slot) => {
      calls.claim += 1;
      const won = free.includes(slot) && !claimed.includes(slot);
      if (won) claimed.push(slot);
      return Promise.resolve(won);
    },
    apply: () => Promise.resolve(null),
  };
  const deps = {
    progressStore,
    jobStore: { log: () => Promise.resolve() },
    logger: createLogger({ minSeverity: 'ERROR', write: () => undefined }),
    clock: () => NOW,
    minWriteIntervalMs: 1000,
    sleep: (ms: number) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    seen: new SeenJobs(),
  };
  return { deps, calls, claimed, recounts, sleeps };
}

function change(state: 'running' | 'succeeded', changedAt: Date): OrderChange {
  const recorded = [{ fileId: 'f1', state, source: 'PRO/1.2.bz2' }];
  return { jobId: 'j1', orderId: 'f1', recorded, changedAt };
}

describe('the status trigger remembering jobs it read', () => {
  it('reads nothing for a change that recorded no finished file', async () => {
    const { deps, calls } = harness(job(new Date('2024-01-19T12:00:09Z')));
    await recordOrderChange(deps, change('running', NOW));
    await recordOrderChange(deps, { ...change('succeeded', NOW), recorded: [] });
    expect(calls).toEqual({ read: 0, claim: 0 });
  });

  it('skips finished files its last read already counted, and reads for the others', async () => {
    const { deps, calls } = harness(job(new Date('2024-01-19T12:00:09Z')));
    await recordOrderChange(deps, change('succeeded', new Date('2024-01-19T12:00:08Z')));
    await recordOrderChange(deps, change('succeeded', new Date('2024-01-19T12:00:07Z')));
    expect(calls).toEqual({ read: 1, claim: 0 });
    await recordOrderChange(deps, change('succeeded', new Date('2024-01-19T12:00:09.900Z')));
    // This slot's recount, then the next slot's late one: both claimed by others here.
    expect(calls).toEqual({ read: 2, claim: 2 });
    // The late recount starts after this one committed too: nothing to read or claim.
    await recordOrderChange(deps, change('succeeded', new Date('2024-01-19T12:00:10.100Z')));
    expect(calls).toEqual({ read: 2, claim: 2 });
  });

  it('asks again for a late recount whose claim failed', async () => {
    const { deps } = harness(job(new Date('2024-01-19T12:00:09Z')));
    const claim = deps.progressStore.claimRecount.bind(deps.progressStore);
    const lateSlot = Date.parse('2024-01-19T12:00:11Z') / 1000;
    const lateAsks: string[] = [];
    deps.progressStore.claimRecount = (jobId, slot) => {
      if (slot !== lateSlot) return claim(jobId, slot);
      lateAsks.push(lateAsks.length === 0 ? 'failed' : 'answered');
      return lateAsks.length === 1
        ? Promise.reject(new Error('Firestore unavailable'))
        : claim(jobId, slot);
    };
    const late = change('succeeded', new Date('2024-01-19T12:00:09.900Z'));
    await expect(recordOrderChange(deps, late)).rejects.toThrow('Firestore unavailable');
    // The redelivery claims again rather than trusting an ask that never reached Firestore.
    await recordOrderChange(deps, late);
    expect(lateAsks).toEqual(['failed', 'answered']);
  });

  it('counts a change that fell after its slot’s recount at the start of the next slot, asking once', async () => {
    const recountedThisSlot = job(new Date('2024-01-19T12:00:10.200Z'));
    const nextSlotStart = new Date('2024-01-19T12:00:11Z').getTime();
    const late = harness(recountedThisSlot, [nextSlotStart / 1000]);
    await recordOrderChange(late.deps, change('succeeded', new Date('2024-01-19T12:00:10.300Z')));
    await recordOrderChange(late.deps, change('succeeded', new Date('2024-01-19T12:00:10.400Z')));
    expect(late.claimed).toEqual([nextSlotStart / 1000]);
    expect(late.sleeps).toEqual([nextSlotStart - NOW.getTime()]);
    expect(late.recounts).toEqual([nextSlotStart]);
    expect(late.calls).toEqual({ read: 1, claim: 1 });
  });

  it('leaves the late recount to whoever claimed it, without waiting', async () => {
    const { deps, calls, recounts, sleeps } = harness(job(new Date('2024-01-19T12:00:10.200Z')));
    await recordOrderChange(deps, change('succeeded', new Date('2024-01-19T12:00:10.300Z')));
    expect({ calls, recounts, sleeps }).toEqual({
      calls: { read: 1, claim: 1 },
      recounts: [],
      sleeps: [],
    });
  });
});

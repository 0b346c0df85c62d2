import { describe, expect, it } from 'vitest';
import { recheckPause } from '../../shared/pipeline/workflow-steps.js';

describe('how long the workflow’s wait for its files pauses between counts', () => {
  it('pauses a quarter of a second while the pace is unknown', () => {
    expect(recheckPause(undefined, { terminal: 0, total: 100 }, 1000)).toBe(250);
    // Nothing finished since the last count: no pace to go by.
    expect(recheckPause({ terminal: 10, at: 0 }, { terminal: 10, total: 100 }, 1000)).toBe(250);
  });

  it('looks again about halfway to when the last file should end', () => {
    // 10 files a second, 20 left: the last in about 2 s, so look again in 1 s.
    expect(recheckPause({ terminal: 70, at: 0 }, { terminal: 80, total: 100 }, 1000)).toBe(1000);
    // 2 left: the last in about 200 ms.
    expect(recheckPause({ terminal: 88, at: 0 }, { terminal: 98, total: 100 }, 1000)).toBe(100);
  });

  it('never waits less than 50 ms nor more than a second', () => {
    expect(recheckPause({ terminal: 0, at: 0 }, { terminal: 999, total: 1000 }, 100)).toBe(50);
    expect(recheckPause({ terminal: 0, at: 0 }, { terminal: 1, total: 1000 }, 1000)).toBe(1000);
  });
});

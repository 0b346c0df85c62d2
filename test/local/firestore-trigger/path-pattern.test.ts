import { describe, expect, it } from 'vitest';
import { toRfc3339 } from '../../../shared/local/firestore-trigger/document-event.js';
import { compilePathPattern } from '../../../shared/local/firestore-trigger/firestore-trigger.js';

describe('compilePathPattern', () => {
  it.each([
    [
      'dataflow-jobs/{jobId}/files/{fileId}',
      'dataflow-jobs/j1/files/f1',
      { jobId: 'j1', fileId: 'f1' },
    ],
    ['dataflow-jobs/{jobId}/files/{fileId}', 'dataflow-jobs/j1', undefined],
    ['dataflow-jobs/{jobId}/files/{fileId}', 'dataflow-jobs/j1/files/f1/parts/p1', undefined],
    ['dataflow-jobs/{jobId}/files/{fileId}', 'other/j1/files/f1', undefined],
    ['dataflow-jobs/*', 'dataflow-jobs/j1', {}],
    ['dataflow-jobs/{jobId=*}', 'dataflow-jobs/j1', { jobId: 'j1' }],
    ['dataflow-jobs/{rest=**}', 'dataflow-jobs/j1/files/f1', { rest: 'j1/files/f1' }],
    ['dataflow-jobs/**', 'dataflow-jobs/j1/files/f1', {}],
    ['/dataflow-jobs/{jobId}/', 'dataflow-jobs/j1', { jobId: 'j1' }],
  ])('%s against %s', (pattern, path, expected) => {
    expect(compilePathPattern(pattern)(path)).toEqual(expected);
  });
});

describe('toRfc3339', () => {
  it.each([
    [{ seconds: 1705665600, nanos: 0 }, '2024-01-19T12:00:00Z'],
    [{ seconds: 1705665600, nanos: 123000000 }, '2024-01-19T12:00:00.123Z'],
    [{ seconds: 1705665600, nanos: 123456000 }, '2024-01-19T12:00:00.123456Z'],
    [{ seconds: 1705665600, nanos: 5 }, '2024-01-19T12:00:00.000000005Z'],
  ])('%o is %s', (timestamp, expected) => {
    expect(toRfc3339(timestamp)).toBe(expected);
  });
});

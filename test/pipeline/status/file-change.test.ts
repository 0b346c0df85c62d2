import { describe, expect, it } from 'vitest';
import { parseFileChange } from '../../../shared/pipeline/status/file-change.js';
import { AppError } from '../../../shared/platform/errors.js';

const NAME = 'projects/p/databases/(default)/documents/dataflow-jobs/job-1/files/f1';

function document(fields: Record<string, unknown>, updateTime = '2024-01-19T12:00:01.5Z') {
  return { name: NAME, fields, createTime: '2024-01-19T12:00:00Z', updateTime };
}

const failed = {
  state: { stringValue: 'failed' },
  source: { mapValue: { fields: { name: { stringValue: 'PRO/2022/Apr/19/1/1.23.bz2' } } } },
  error: {
    mapValue: {
      fields: {
        code: { stringValue: 'BZ2.CORRUPT' },
        message: { stringValue: 'bzip2 block 1 failed its CRC check' },
      },
    },
  },
  updatedAt: { timestampValue: '2024-01-19T12:00:01.499Z' },
  attempts: { integerValue: '1' },
};

describe('parseFileChange', () => {
  it('decodes an update of a file status document', () => {
    const change = parseFileChange({
      value: document(failed),
      oldValue: document({ state: { stringValue: 'running' } }, '2024-01-19T12:00:00Z'),
      updateMask: { fieldPaths: ['error', 'state', 'updatedAt'] },
    });
    expect(change).toEqual({
      jobId: 'job-1',
      fileId: 'f1',
      before: { state: 'running' },
      after: {
        state: 'failed',
        sourceName: 'PRO/2022/Apr/19/1/1.23.bz2',
        error: { code: 'BZ2.CORRUPT', message: 'bzip2 block 1 failed its CRC check' },
        updatedAt: new Date('2024-01-19T12:00:01.499Z'),
      },
      changedAt: new Date('2024-01-19T12:00:01.5Z'),
    });
  });

  it('decodes a creation (no oldValue) and a deletion (no value)', () => {
    expect(
      parseFileChange({ value: document({ state: { stringValue: 'running' } }) }),
    ).toMatchObject({
      before: undefined,
      after: { state: 'running' },
    });
    expect(parseFileChange({ oldValue: document(failed) })).toMatchObject({
      before: { state: 'failed' },
      after: undefined,
    });
  });

  it.each([
    ['no data', undefined],
    ['neither value nor oldValue', {}],
    [
      'a document outside the files collection',
      {
        value: {
          ...document(failed),
          name: 'projects/p/databases/(default)/documents/dataflow-jobs/job-1',
        },
      },
    ],
    ['an unknown state', { value: document({ state: { stringValue: 'exploded' } }) }],
    ['a state of the wrong type', { value: document({ state: { integerValue: '3' } }) }],
    ['no state', { value: document({}) }],
    ['a bad update time', { value: document(failed, 'soon') }],
    ['a malformed value', { value: document({ state: { stringValue: 'failed', extra: 1 } }) }],
  ])('refuses %s as invalid, which no retry can fix', (_, data) => {
    expect(() => parseFileChange(data)).toThrow(AppError);
    expect(() => parseFileChange(data)).toThrow(expect.objectContaining({ kind: 'invalid' }));
  });
});

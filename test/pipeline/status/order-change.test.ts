import { describe, expect, it } from 'vitest';
import { parseOrderChange } from '../../../shared/pipeline/status/order-change.js';
import { AppError } from '../../../shared/platform/errors.js';

const NAME = 'projects/p/databases/(default)/documents/dataflow-jobs/job-1/orders/f1';

function document(fields: Record<string, unknown>, updateTime = '2024-01-19T12:00:01.5Z') {
  return { name: NAME, fields, createTime: '2024-01-19T12:00:00Z', updateTime };
}

const text = (stringValue: string) => ({ stringValue });
const map = (fields: Record<string, unknown>) => ({ mapValue: { fields } });
const recorded = (...values: unknown[]) => ({
  recorded: { arrayValue: { values } },
  jobId: text('job-1'),
  recordedAt: { timestampValue: '2024-01-19T12:00:01.499Z' },
});

const failed = map({
  fileId: text('f1'),
  state: text('failed'),
  source: text('PRO/2022/Apr/19/1/1.23.bz2'),
  error: map({
    code: text('BZ2.CORRUPT'),
    message: text('bzip2 block 1 failed its CRC check'),
  }),
});
const succeeded = map({
  fileId: text('f2'),
  state: text('succeeded'),
  source: text('PRO/2022/Apr/19/1/1.24.bz2'),
});

describe('parseOrderChange', () => {
  it('decodes the outcomes one commit recorded, whatever the notice held before', () => {
    const change = parseOrderChange({
      value: document(recorded(failed, succeeded)),
      oldValue: document(recorded(succeeded), '2024-01-19T12:00:00Z'),
    });
    expect(change).toEqual({
      jobId: 'job-1',
      orderId: 'f1',
      recorded: [
        {
          fileId: 'f1',
          state: 'failed',
          source: 'PRO/2022/Apr/19/1/1.23.bz2',
          error: { code: 'BZ2.CORRUPT', message: 'bzip2 block 1 failed its CRC check' },
        },
        { fileId: 'f2', state: 'succeeded', source: 'PRO/2022/Apr/19/1/1.24.bz2' },
      ],
      changedAt: new Date('2024-01-19T12:00:01.5Z'),
    });
  });

  it('decodes a creation (no oldValue), and a deletion (no value) as recording nothing', () => {
    expect(parseOrderChange({ value: document(recorded(succeeded)) })).toMatchObject({
      recorded: [{ fileId: 'f2', state: 'succeeded' }],
    });
    expect(parseOrderChange({ oldValue: document(recorded(failed)) })).toMatchObject({
      jobId: 'job-1',
      recorded: [],
    });
  });

  it.each([
    ['no data', undefined],
    ['neither value nor oldValue', {}],
    [
      'a file status document',
      { value: { ...document(recorded()), name: NAME.replace('/orders/', '/files/') } },
    ],
    ['a notice without outcomes', { value: document({ jobId: text('job-1') }) }],
    [
      'an unknown state',
      { value: document(recorded(map({ ...succeeded.mapValue.fields, state: text('exploded') }))) },
    ],
    [
      'an outcome without a file id',
      { value: document(recorded(map({ state: text('failed'), source: text('x') }))) },
    ],
    ['a bad update time', { value: document(recorded(failed), 'soon') }],
    ['a malformed value', { value: document({ recorded: { stringValue: 'x', extra: 1 } }) }],
  ])('refuses %s as invalid, which no retry can fix', (_, data) => {
    expect(() => parseOrderChange(data)).toThrow(AppError);
    expect(() => parseOrderChange(data)).toThrow(expect.objectContaining({ kind: 'invalid' }));
  });
});

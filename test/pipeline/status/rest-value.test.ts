import { describe, expect, it } from 'vitest';
import { restFields, restValue } from '../../../shared/pipeline/status/order-change.js';

describe('restValue', () => {
  it.each([
    [{ stringValue: 'PRO/2022/Apr/19/1.23.bz2' }, 'PRO/2022/Apr/19/1.23.bz2'],
    [{ integerValue: '9007199254740991' }, 9007199254740991],
    [{ integerValue: '-5' }, -5],
    [{ integerValue: 7 }, 7],
    [{ doubleValue: 1.5 }, 1.5],
    [{ doubleValue: 'Infinity' }, Infinity],
    [{ booleanValue: false }, false],
    [{ nullValue: null }, null],
    [{ nullValue: 'NULL_VALUE' }, null],
    [{ timestampValue: '2024-01-19T12:00:00.123456789Z' }, new Date('2024-01-19T12:00:00.123Z')],
    [{ timestampValue: '2024-01-19T13:00:00+01:00' }, new Date('2024-01-19T12:00:00Z')],
    [{ mapValue: {} }, {}],
    [{ arrayValue: {} }, []],
    [{ arrayValue: { values: [{ integerValue: '1' }, { stringValue: 'x' }] } }, [1, 'x']],
    [
      {
        mapValue: { fields: { error: { mapValue: { fields: { code: { stringValue: 'BZ2' } } } } } },
      },
      { error: { code: 'BZ2' } },
    ],
  ])('decodes %j', (json, expected) => {
    expect(restValue.parse(json)).toEqual(expected);
  });

  it.each([
    [{ integerValue: '1.5' }],
    [{ timestampValue: 'yesterday' }],
    [{ stringValue: 1 }],
    [{ stringValue: 'a', integerValue: '1' }],
    [{ unknownValue: 1 }],
    ['plain'],
  ])('refuses %j', (json) => {
    expect(restValue.safeParse(json).success).toBe(false);
  });

  it('decodes a document’s fields', () => {
    expect(
      restFields.parse({ state: { stringValue: 'succeeded' }, attempts: { integerValue: '2' } }),
    ).toEqual({ state: 'succeeded', attempts: 2 });
  });
});

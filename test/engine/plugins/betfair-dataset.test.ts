import { describe, expect, it } from 'vitest';
import {
  formatBetfairDataset,
  parseBetfairDataset,
} from '../../../shared/engine/plugins/betfair.js';

describe('parseBetfairDataset', () => {
  it.each([
    ['ADVANCED/2016', { tier: 'ADVANCED', year: 2016 }],
    ['PRO/2022/Apr', { tier: 'PRO', year: 2022, month: 'Apr' }],
    ['PRO/2022/Apr/19', { tier: 'PRO', year: 2022, month: 'Apr', day: 19 }],
    ['BASIC/2016/Feb/29/', { tier: 'BASIC', year: 2016, month: 'Feb', day: 29 }],
  ])('reads %s', (path, expected) => {
    const dataset = parseBetfairDataset(path);
    expect(dataset).toEqual(expected);
    expect(formatBetfairDataset(dataset)).toBe(path.replace(/\/$/, ''));
  });

  it.each([
    'ADVANCED',
    'GOLD/2016',
    'pro/2016',
    'PRO/16',
    'PRO/1999',
    'PRO/2022/April',
    'PRO/2022/apr',
    'PRO/2022/Apr/0',
    'PRO/2022/Apr/07',
    'PRO/2022/Apr/31',
    'BASIC/2017/Feb/29',
    'PRO/2022/Apr/19/31389771',
    '',
  ])('rejects %j', (path) => {
    expect(() => parseBetfairDataset(path)).toThrow(
      expect.objectContaining({ code: 'PLUGIN.INVALID_DATASET', kind: 'invalid' }),
    );
  });

  it('rejects a dataset path that escapes', () => {
    expect(() => parseBetfairDataset('PRO/../../2016')).toThrow(
      expect.objectContaining({ code: 'PLUGIN.INVALID_PATH' }),
    );
  });
});

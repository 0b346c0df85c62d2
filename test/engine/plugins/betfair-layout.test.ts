import { describe, expect, it } from 'vitest';
import { recognizeBetfairLayout } from '../../../shared/engine/plugins/betfair-layout.js';
import { betfairPlugin } from './plugin-fixtures.js';

describe('recognizeBetfairLayout', () => {
  it.each([
    ['PRO', { root: '', tier: 'PRO' }],
    ['ADVANCED/2016', { root: '', tier: 'ADVANCED', year: 2016 }],
    ['PRO/2022/Apr/19', { root: '', tier: 'PRO', year: 2022, month: 'Apr', day: 19 }],
    ['archive/PRO', { root: 'archive', tier: 'PRO' }],
    ['archive/PRO/2021', { root: 'archive', tier: 'PRO', year: 2021 }],
    [
      'a/b/c/BASIC/2016/Feb/29',
      { root: 'a/b/c', tier: 'BASIC', year: 2016, month: 'Feb', day: 29 },
    ],
    [
      'archive/PRO/2022/Apr/19/31695369',
      { root: 'archive', tier: 'PRO', year: 2022, month: 'Apr', day: 19, eventId: '31695369' },
    ],
    [
      'x/PRO/2022/Apr/19/31695369/1.197806837.bz2',
      {
        root: 'x',
        tier: 'PRO',
        year: 2022,
        month: 'Apr',
        day: 19,
        eventId: '31695369',
        marketId: '1.197806837',
      },
    ],
    ['archive\\PRO\\2022\\', { root: 'archive', tier: 'PRO', year: 2022 }],
    ['./archive//PRO/./2022/', { root: 'archive', tier: 'PRO', year: 2022 }],
  ])('reads %j', (path, hints) => {
    expect(recognizeBetfairLayout(path)).toEqual(hints);
  });

  it.each([
    ['a level out of place ends the hints', 'PRO/notes/2022/Apr', { root: '', tier: 'PRO' }],
    [
      'a month not spelt as the vendor does',
      'PRO/2022/April/19',
      { root: '', tier: 'PRO', year: 2022 },
    ],
    [
      'a day the month does not have',
      'BASIC/2017/Feb/29',
      { root: '', tier: 'BASIC', year: 2017, month: 'Feb' },
    ],
    [
      'a day with a leading zero',
      'PRO/2022/Apr/07',
      { root: '', tier: 'PRO', year: 2022, month: 'Apr' },
    ],
    [
      'an event-level file',
      'PRO/2022/Apr/19/31695369/31695369.bz2',
      { root: '', tier: 'PRO', year: 2022, month: 'Apr', day: 19, eventId: '31695369' },
    ],
    [
      'a folder below a market file name',
      'PRO/2022/Apr/19/31695369/1.2.bz2/x',
      { root: '', tier: 'PRO', year: 2022, month: 'Apr', day: 19, eventId: '31695369' },
    ],
    [
      'the deepest of two tier folders',
      'PRO/backup/BASIC/2017/Jun',
      { root: 'PRO/backup', tier: 'BASIC', year: 2017, month: 'Jun' },
    ],
    ['the first of two equally deep', 'BASIC/PRO', { root: '', tier: 'BASIC' }],
  ])('%s: %j', (_case, path, hints) => {
    expect(recognizeBetfairLayout(path)).toEqual(hints);
  });

  it.each(['', 'my/own/layout', 'pro/2022', 'PROFESSIONAL/2022', '2022/Apr/19', 'data/GOLD/2016'])(
    'finds nothing in %j',
    (path) => {
      expect(recognizeBetfairLayout(path)).toBeUndefined();
    },
  );

  it('is what the Betfair plugin reports for a path', () => {
    expect(betfairPlugin().layoutOf('archive/PRO/2021')).toEqual({
      root: 'archive',
      tier: 'PRO',
      year: 2021,
    });
    expect(betfairPlugin().layoutOf('my/own/layout')).toBeUndefined();
  });
});

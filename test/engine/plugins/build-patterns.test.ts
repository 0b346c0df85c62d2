import { describe, expect, it } from 'vitest';
import {
  createNdjsonGzipPlugin,
  createNdjsonPlugin,
} from '../../../shared/engine/plugins/ndjson.js';
import { AppError } from '../../../shared/platform/errors.js';
import { betfairPlugin } from './plugin-fixtures.js';

describe('buildPatterns', () => {
  const cases: { name: string; paths: string[]; dataset?: string; expected: string[] }[] = [
    {
      name: 'two patterns per path',
      paths: ['Jan/1', 'Jan/2'],
      dataset: 'ADVANCED/2016',
      expected: [
        'ADVANCED/2016/Jan/1/*.bz2',
        'ADVANCED/2016/Jan/1/**/*.bz2',
        'ADVANCED/2016/Jan/2/*.bz2',
        'ADVANCED/2016/Jan/2/**/*.bz2',
      ],
    },
    {
      name: 'normalised slashes and dot segments',
      paths: ['Jan\\1\\', './Feb//3/'],
      dataset: 'PRO/2022/',
      expected: [
        'PRO/2022/Jan/1/*.bz2',
        'PRO/2022/Jan/1/**/*.bz2',
        'PRO/2022/Feb/3/*.bz2',
        'PRO/2022/Feb/3/**/*.bz2',
      ],
    },
    {
      name: 'duplicates removed',
      paths: ['Jan/1', 'Jan/1/', 'Jan//1'],
      dataset: 'PRO/2022',
      expected: ['PRO/2022/Jan/1/*.bz2', 'PRO/2022/Jan/1/**/*.bz2'],
    },
    {
      name: 'paths inside another selection removed',
      paths: ['Jan/1', 'Jan', 'Jan/15/3100', 'Feb'],
      dataset: 'PRO/2022',
      expected: [
        'PRO/2022/Jan/*.bz2',
        'PRO/2022/Jan/**/*.bz2',
        'PRO/2022/Feb/*.bz2',
        'PRO/2022/Feb/**/*.bz2',
      ],
    },
    {
      name: 'a folder that only shares a prefix is kept',
      paths: ['Jan/1', 'Jan/15'],
      dataset: 'PRO/2022',
      expected: [
        'PRO/2022/Jan/1/*.bz2',
        'PRO/2022/Jan/1/**/*.bz2',
        'PRO/2022/Jan/15/*.bz2',
        'PRO/2022/Jan/15/**/*.bz2',
      ],
    },
    {
      name: 'empty path selects the whole dataset',
      paths: ['', 'Jan/1'],
      dataset: 'BASIC/2017',
      expected: ['BASIC/2017/*.bz2', 'BASIC/2017/**/*.bz2'],
    },
    {
      name: 'no dataset',
      paths: ['PRO/2022/Apr'],
      expected: ['PRO/2022/Apr/*.bz2', 'PRO/2022/Apr/**/*.bz2'],
    },
    { name: 'bucket top', paths: ['.'], expected: ['*.bz2', '**/*.bz2'] },
    { name: 'nothing selected', paths: [], dataset: 'PRO/2022', expected: [] },
  ];

  it.each(cases)('$name', ({ paths, dataset, expected }) => {
    expect(betfairPlugin().buildPatterns(paths, dataset)).toEqual(expected);
  });

  it('builds one pair per extension not covered by a shorter one', () => {
    expect(createNdjsonGzipPlugin().buildPatterns(['a'], 'd')).toEqual(['d/a/*.gz', 'd/a/**/*.gz']);
    expect(createNdjsonPlugin().buildPatterns(['a'])).toEqual([
      'a/*.ndjson',
      'a/**/*.ndjson',
      'a/*.jsonl',
      'a/**/*.jsonl',
      'a/*.json',
      'a/**/*.json',
    ]);
  });

  it.each([
    { paths: ['../ADVANCED/2017'], reason: '".."' },
    { paths: ['Jan/../../x'], reason: '".."' },
    { paths: ['Jan\\..\\..'], reason: '".."' },
    { paths: ['/etc'], reason: 'absolute' },
    { paths: ['\\\\server\\share'], reason: 'absolute' },
    { paths: ['C:/data'], reason: 'absolute' },
    { paths: ['Jan/*'], reason: 'glob' },
    { paths: ['Jan/{1,2}'], reason: 'glob' },
    { paths: ['Jan\n1'], reason: 'control' },
  ])('rejects $paths', ({ paths, reason }) => {
    const attempt = (): string[] => createNdjsonPlugin().buildPatterns(paths, 'data');
    expect(attempt).toThrow(AppError);
    expect(attempt).toThrow(
      expect.objectContaining({ code: 'PLUGIN.INVALID_PATH', kind: 'invalid' }),
    );
    expect(attempt).toThrow(reason);
  });

  it.each(['../x', '/abs'])('rejects a dataset %j that escapes', (dataset) => {
    expect(() => createNdjsonPlugin().buildPatterns(['a'], dataset)).toThrow(
      expect.objectContaining({ code: 'PLUGIN.INVALID_PATH' }),
    );
  });

  it('rejects a Betfair dataset outside the TIER/YEAR layout', () => {
    expect(() => betfairPlugin().buildPatterns(['Jan'], 'backups/2016')).toThrow(
      expect.objectContaining({ code: 'PLUGIN.INVALID_DATASET', kind: 'invalid' }),
    );
  });
});

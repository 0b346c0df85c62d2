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
    {
      name: 'a dataset below the bucket top, paths across two years',
      paths: ['2021', '2022/Jan'],
      dataset: 'archive/PRO',
      expected: [
        'archive/PRO/2021/*.bz2',
        'archive/PRO/2021/**/*.bz2',
        'archive/PRO/2022/Jan/*.bz2',
        'archive/PRO/2022/Jan/**/*.bz2',
      ],
    },
    {
      name: 'a dataset outside the vendor layout',
      paths: ['', 'race-days'],
      dataset: 'my/own/layout',
      expected: ['my/own/layout/*.bz2', 'my/own/layout/**/*.bz2'],
    },
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

  it.each([
    ['../x', 'Invalid selection: dataset "../x": ".." would leave the bucket'],
    ['/abs', 'Invalid selection: dataset "/abs": absolute paths are not allowed'],
    ['data/{a,b}', 'Invalid selection: dataset "data/{a,b}": contains the glob character "{"'],
  ])('rejects the dataset %j', (dataset, message) => {
    const attempt = (): string[] => betfairPlugin().buildPatterns(['a'], dataset);
    expect(attempt).toThrow(expect.objectContaining({ code: 'PLUGIN.INVALID_DATASET' }));
    expect(attempt).toThrow(message);
  });

  it('lists every problem of the dataset and the paths in one error', () => {
    const attempt = (): string[] =>
      betfairPlugin().buildPatterns(['2021', '../../etc', 'Apr/*', '2022'], 'archive/../..');
    expect(attempt).toThrow(
      new AppError(
        'PLUGIN.INVALID_DATASET',
        'invalid',
        'Invalid selection: dataset "archive/../..": ".." would leave the bucket; ' +
          'path "../../etc": ".." would leave the dataset; ' +
          'path "Apr/*": contains the glob character "*"',
      ),
    );
  });

  it('lists the first ten problems and counts the rest', () => {
    const paths = Array.from({ length: 13 }, (_, n) => `../${n}`);
    const attempt = (): string[] => betfairPlugin().buildPatterns(paths, 'PRO');
    expect(attempt).toThrow(expect.objectContaining({ code: 'PLUGIN.INVALID_PATH' }));
    expect(attempt).toThrow(/path "\.\.\/9": "\.\." would leave the dataset; and 3 more$/);
  });

  it('rejects folders whose objects could not be named', () => {
    const long = 'd'.repeat(600);
    expect(() => betfairPlugin().buildPatterns([long], long)).toThrow(
      `path "${long.slice(0, 120)}… (600 characters)": is too long: names below it would pass the 1024 bytes an object name may have`,
    );
    expect(() => betfairPlugin().buildPatterns(['a\uD800b'], 'PRO')).toThrow(
      'path "a\\ud800b": is not valid Unicode',
    );
  });
});

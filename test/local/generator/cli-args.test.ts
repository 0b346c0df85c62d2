import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../../shared/local/generator/cli.js';

describe('parseCliArgs', () => {
  it('splits the bucket folder and converts numbers', () => {
    const request = parseCliArgs([
      '--mode',
      'normal',
      '--seed',
      '1',
      '--races',
      '6',
      '--out',
      '.data/buckets/betfair-historic',
    ]);
    expect(request).toMatchObject({
      dataDir: resolve('.data'),
      bucket: 'betfair-historic',
      options: { mode: 'normal', seed: 1, racesPerMeeting: 6 },
      help: false,
    });
  });

  it.each([
    [['--seed', '1'], /--out/],
    [['--out', '/tmp/somewhere'], /bucket folder/],
    [['--out', '/tmp/buckets/b', '--seed', 'x'], /whole number/],
    [['--out', '/tmp/buckets/b', '--colour', 'red'], /colour/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('asks for help', () => {
    expect(parseCliArgs(['--help']).help).toBe(true);
  });
});

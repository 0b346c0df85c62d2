import { describe, expect, it } from 'vitest';
import { resolveApiUrl } from '../../shared/cli/api-client.js';
import { UsageError } from '../../shared/cli/command.js';
import { createLineProgress, formatTable } from '../../shared/cli/output.js';
import { captureIo } from './capture-io.js';

describe('resolveApiUrl', () => {
  it.each([
    ['--url first', 'http://a:1', { CHIMERA_API_URL: 'http://b:2' }, 'http://a:1'],
    ['then CHIMERA_API_URL', undefined, { CHIMERA_API_URL: 'http://b:2', PORT: '9' }, 'http://b:2'],
    ['then the local gateway on PORT', undefined, { PORT: '9000' }, 'http://127.0.0.1:9000'],
    ['port 8080 by default', undefined, { PORT: '' }, 'http://127.0.0.1:8080'],
  ])('takes %s', (_label, flag, env, expected) => {
    expect(resolveApiUrl(flag, env)).toBe(expected);
  });

  it.each([
    ['a --url that is not http', 'ftp://x', {}],
    ['a bad CHIMERA_API_URL', undefined, { CHIMERA_API_URL: 'nope' }],
  ])('refuses %s', (_label, flag, env) => {
    expect(() => resolveApiUrl(flag, env)).toThrow(UsageError);
  });
});

describe('formatTable', () => {
  it('aligns columns under a rule and flattens and cuts long cells', () => {
    const text = formatTable(
      ['A', 'LONGER'],
      [
        ['x', 'multi\nline'],
        ['yyyy', 'z'.repeat(20)],
      ],
      10,
    );
    expect(text.split('\n')).toEqual([
      'A     LONGER',
      '----  ----------',
      'x     multi line',
      `yyyy  ${'z'.repeat(9)}…`,
    ]);
  });
});

describe('createLineProgress', () => {
  it('prints when the count moves after the interval, and the last state on stop', () => {
    const io = captureIo();
    let time = 0;
    const progress = createLineProgress(io.stdout, 1000, () => time);
    progress.update(0, 4, 'a');
    time = 500;
    progress.update(1, 4, 'b'); // too soon
    time = 1500;
    progress.update(1, 4, 'rate changed only'); // moved since last print: prints
    time = 2600;
    progress.update(1, 4, 'rate changed again'); // no movement since: skipped
    progress.log('a log line');
    time = 2700;
    progress.update(4, 4, 'done');
    progress.stop();
    expect(io.out().trim().split('\n')).toEqual([
      'progress: 0% (0/4) a',
      'progress: 25% (1/4) rate changed only',
      'a log line',
      'progress: 100% (4/4) done',
    ]);
  });
});

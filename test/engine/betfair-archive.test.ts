import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { archiveMembers, placeMember } from '../../shared/engine/betfair-archive.js';
import { hasCode } from '../../shared/platform/errors.js';
import { tarOf } from '../support/tar.js';

describe('placing a member of a Betfair download', () => {
  it.each([
    ['PRO/2022/Apr/19/31380424/1.197931750.bz2', 'PRO/2022/Apr/19/31380424/1.197931750.bz2'],
    ['BASIC/2016/Jan/1/27644453/1.122420245.bz2', 'BASIC/2016/Jan/1/27644453/1.122420245.bz2'],
    [
      'data/xds/historic/ADVANCED/2019/Dec/31/29630000/1.166000001.bz2',
      'ADVANCED/2019/Dec/31/29630000/1.166000001.bz2',
    ],
    ['./PRO/2022/Apr/19/31380424/1.197931750.bz2', 'PRO/2022/Apr/19/31380424/1.197931750.bz2'],
  ])('puts %s at %s', (path, name) => {
    expect(placeMember(path)).toEqual({ kind: 'market', name });
  });

  it.each([
    ['PRO/2022/Apr/19/31380424/31380424.bz2', 'event-level file'],
    ['PRO/2022/April/19/31380424/1.197931750.bz2', 'not in the historic layout'],
    ['PRO/22/Apr/19/31380424/1.197931750.bz2', 'not in the historic layout'],
    ['PRO/2022/Apr/19/1.197931750.bz2', 'not in the historic layout'],
    ['PRO/2022/Apr/19/31380424/1.197931750.json', 'not in the historic layout'],
    ['PRO/2022/Apr/19/31380424/x/1.197931750.bz2', 'not in the historic layout'],
    ['readme.txt', 'not in the historic layout'],
  ])('skips %s: %s', (path, reason) => {
    expect(placeMember(path)).toEqual({ kind: 'skipped', reason });
  });
});

describe('reading a Betfair download', () => {
  it('streams each member in order, placed, with its bytes', async () => {
    const archive = await tarOf([
      ['PRO', null],
      ['PRO/2022/Apr/19/31380424/1.197931750.bz2', Buffer.from('market one')],
      ['PRO/2022/Apr/19/31380424/31380424.bz2', Buffer.from('event-level copy')],
      ['PRO/2022/Apr/19/31380424/1.197931751.bz2', Buffer.alloc(70_000, 7)],
    ]);
    const seen: [string, string, number][] = [];
    for await (const member of archiveMembers(Readable.from(archive))) {
      let bytes = 0;
      for await (const chunk of member.body) bytes += chunk.length;
      seen.push([member.path, member.placement.kind, bytes]);
    }
    expect(seen).toEqual([
      ['PRO', 'skipped', 0],
      ['PRO/2022/Apr/19/31380424/1.197931750.bz2', 'market', 10],
      ['PRO/2022/Apr/19/31380424/31380424.bz2', 'skipped', 16],
      ['PRO/2022/Apr/19/31380424/1.197931751.bz2', 'market', 70_000],
    ]);
  });

  it('moves past a member whose body the reader left unread', async () => {
    const archive = await tarOf([
      ['PRO/2022/Apr/19/1/1.1.bz2', Buffer.alloc(5000, 1)],
      ['PRO/2022/Apr/19/1/1.2.bz2', Buffer.from('second')],
    ]);
    const paths: string[] = [];
    for await (const member of archiveMembers(Readable.from(archive))) paths.push(member.path);
    expect(paths).toEqual(['PRO/2022/Apr/19/1/1.1.bz2', 'PRO/2022/Apr/19/1/1.2.bz2']);
  });

  it('refuses a file that is not a tar archive with TAR.CORRUPT', async () => {
    const notTar = Buffer.alloc(1024, 0x41);
    const reading = (async () => {
      for await (const member of archiveMembers(Readable.from(notTar))) void member;
    })();
    const error = await reading.catch((e: unknown) => e);
    expect(hasCode(error, 'TAR.CORRUPT')).toBe(true);
  });
});

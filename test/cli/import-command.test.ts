import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../shared/cli/run.js';
import { tarOf } from '../support/tar.js';
import { captureIo } from './capture-io.js';

const MARKETS: [string, Buffer][] = [
  ['PRO/2022/Apr/19/31380424/1.197931750.bz2', Buffer.from('first market')],
  ['PRO/2022/Apr/19/31380424/1.197931751.bz2', Buffer.alloc(100_000, 3)],
  ['PRO/2022/Apr/20/31380500/1.197940000.bz2', Buffer.from('third market')],
];

async function download(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'chimera-import-'));
  const archive = await tarOf([
    ...MARKETS.map(([name, bytes]): [string, Buffer] => [`data/xds/historic/${name}`, bytes]),
    ['data/xds/historic/PRO/2022/Apr/19/31380424/31380424.bz2', Buffer.from('event copy')],
    ['data/readme.txt', Buffer.from('hello')],
  ]);
  const file = join(dir, 'data.tar');
  await writeFile(file, archive);
  return file;
}

describe('chimera import', () => {
  it('lays a Betfair download out in the historic layout, each market once', async () => {
    const archive = await download();
    const target = await mkdtemp(join(tmpdir(), 'chimera-imported-'));
    const io = captureIo();
    expect(await run(['import', archive, target], {}, io)).toBe(0);
    for (const [name, bytes] of MARKETS) expect(await readFile(join(target, name))).toEqual(bytes);
    expect(io.out()).toMatch(/Imported 3 market files/);
    expect(io.out()).toMatch(/event-level file\s+1/);
    expect(io.out()).toMatch(/not in the historic layout\s+1/);
  });

  it('writes nothing the second time: an interrupted import is simply run again', async () => {
    const archive = await download();
    const target = await mkdtemp(join(tmpdir(), 'chimera-imported-'));
    await run(['import', archive, target], {}, captureIo());
    const again = captureIo();
    expect(await run(['import', archive, target], {}, again)).toBe(0);
    expect(again.out()).toMatch(/Imported 0 market files .*; 3 were already there/);
  });

  it('replaces a market file left with the wrong size', async () => {
    const archive = await download();
    const target = await mkdtemp(join(tmpdir(), 'chimera-imported-'));
    await run(['import', archive, target], {}, captureIo());
    const [name, bytes] = MARKETS[1]!;
    await writeFile(join(target, name), 'short');
    const again = captureIo();
    await run(['import', archive, target], {}, again);
    expect(again.out()).toMatch(/Imported 1 market files/);
    expect(await readFile(join(target, name))).toEqual(bytes);
  });

  it('says what is wrong with a missing archive or a broken one', async () => {
    const io = captureIo();
    expect(await run(['import', '/nonexistent/data.tar', '/tmp/x'], {}, io)).toBe(2);
    expect(io.err()).toMatch(/archive "\/nonexistent\/data.tar" is not a file/);
    const dir = await mkdtemp(join(tmpdir(), 'chimera-import-'));
    await writeFile(join(dir, 'bad.tar'), Buffer.alloc(2048, 0x41));
    const broken = captureIo();
    expect(await run(['import', join(dir, 'bad.tar'), join(dir, 'out')], {}, broken)).toBe(1);
    expect(broken.err()).toMatch(/Not a readable tar archive/);
  });
});

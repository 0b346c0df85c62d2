import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../shared/local/generator/cli.js';
import type { GeneratedManifest } from '../../../shared/local/generator/generate.js';
import { BZIP2_MISSING, hasBzip2 } from '../../support/bzip2.js';

const temps: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe.skipIf(!hasBzip2)(`generator CLI${hasBzip2 ? '' : ` (${BZIP2_MISSING})`}`, () => {
  it('writes the files of the manifest into a local bucket folder', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const dataDir = await mkdtemp(join(tmpdir(), 'generator-cli-'));
    temps.push(dataDir);
    const out = join(dataDir, 'buckets', 'betfair-historic');
    const manifestPath = join(dataDir, 'manifest.json');
    const argv = [
      '--seed',
      '4',
      '--meetings',
      '1',
      '--races',
      '2',
      '--updates',
      '10',
      '--out',
      out,
      '--manifest',
      manifestPath,
    ];
    expect(await main(argv)).toBe(0);
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as GeneratedManifest;
    const written = await readdir(out, { recursive: true });
    for (const file of manifest.files) {
      expect(written).toContain(join(...file.objectName.split('/')));
      expect((await readFile(join(out, file.objectName))).length).toBe(file.storedBytes);
    }
  });

  it('exits 2 with the usage on bad options', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main(['--mode', 'sideways', '--out', '/tmp/buckets/x'])).toBe(2);
    expect(String(errors.mock.calls[0]?.[0])).toMatch(/Usage/);
  });
});

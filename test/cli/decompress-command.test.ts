import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../shared/cli/run.js';
import type { LocalObjectStore } from '../../shared/local/adapters/object-store.js';
import { generateSampleData, type ManifestEntry } from '../../shared/local/generator/generate.js';
import { bzip2Dc } from '../support/bzip2.js';
import { referenceLines } from '../support/reference-lines.js';
import { readAll, tempStore } from '../support/temp-store.js';
import { captureIo } from './capture-io.js';

const SOURCE = 'betfair-historic';
const FAILING = ['corrupt-bz2', 'truncated-bz2', 'not-bz2'];

let store: LocalObjectStore;
let dataDir: string;
let files: ManifestEntry[];
let sourceDir: string;

beforeAll(async () => {
  ({ store, dataDir } = await tempStore());
  const normal = await generateSampleData(store, SOURCE, {
    mode: 'normal',
    seed: 5,
    meetings: 1,
    racesPerMeeting: 3,
    updates: 30,
  });
  const malformed = await generateSampleData(store, SOURCE, {
    mode: 'malformed',
    seed: 6,
    date: '2022-04-20',
  });
  files = [...normal.files, ...malformed.files].sort((a, b) =>
    a.objectName < b.objectName ? -1 : 1,
  );
  sourceDir = join(dataDir, 'buckets', SOURCE);
});

const isFailing = (file: ManifestEntry) => FAILING.includes(file.defect?.kind ?? '');
const base = (file: ManifestEntry) => file.objectName.replace(/\.bz2$/, '');

async function expectedLines(file: ManifestEntry): Promise<Buffer> {
  return referenceLines(bzip2Dc(await readAll(await store.read(SOURCE, file.objectName))));
}

async function decompress(...args: string[]) {
  const io = captureIo();
  const code = await run(['decompress', ...args], {}, io, { objectStore: () => store });
  return { code, out: io.out(), err: io.err() };
}

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('chimera decompress, one output per input', () => {
  let outDir: string;
  let result: Awaited<ReturnType<typeof decompress>>;

  beforeAll(async () => {
    outDir = join(dataDir, 'mirrored');
    result = await decompress(sourceDir, outDir, '--workers', '2');
  });

  it('writes each good file as bzip2 -dc gives it, normalised, at the mirrored path', async () => {
    for (const file of files.filter((f) => !isFailing(f))) {
      const written = await readFile(join(outDir, base(file)));
      expect(written.equals(await expectedLines(file)), file.objectName).toBe(true);
    }
  });

  it('reports the corrupt, truncated and non-bz2 files with their reasons and exits 1', async () => {
    expect(result.code).toBe(1);
    for (const file of files.filter(isFailing)) {
      expect(result.out).toContain(file.objectName);
      await expect(readFile(join(outDir, base(file)))).rejects.toThrow(/ENOENT/);
    }
    expect(result.out).toMatch(/BZ2\.CORRUPT/);
    expect(result.out).toMatch(/BZ2\.TRUNCATED/);
    expect(result.out).toMatch(/BZ2\.NOT_BZIP2/);
  });

  it('puts invalid lines beside the output, with their line numbers', async () => {
    const file = files.find((f) => f.defect?.kind === 'invalid-json-lines')!;
    const text = await readFile(join(outDir, `${base(file)}.quarantine.ndjson`), 'utf8');
    const entries = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { source: string; line: number });
    expect(entries.map((e) => e.line)).toEqual(file.defect!.invalidLineNumbers);
    expect(new Set(entries.map((e) => e.source))).toEqual(new Set([file.objectName]));
  });

  it('leaves only outputs and quarantine files, no temp files', async () => {
    const written = await allFiles(outDir);
    const goodCount = files.filter((f) => !isFailing(f)).length;
    expect(written.filter((p) => p.endsWith('.quarantine.ndjson'))).toHaveLength(1);
    expect(written.filter((p) => !p.endsWith('.quarantine.ndjson'))).toHaveLength(goodCount);
  });
});

describe('chimera decompress --concat', () => {
  it('writes one file joining the good inputs in path order', async () => {
    const outDir = join(dataDir, 'concat');
    const { code } = await decompress(sourceDir, outDir, '--concat');
    expect(code).toBe(1);
    const expected = Buffer.concat(
      await Promise.all(files.filter((f) => !isFailing(f)).map(expectedLines)),
    );
    expect((await readFile(join(outDir, 'output.ndjson'))).equals(expected)).toBe(true);
    const quarantine = await readFile(join(outDir, 'output.quarantine.ndjson'), 'utf8');
    expect(quarantine.trim().split('\n')).toHaveLength(
      files.find((f) => f.defect?.kind === 'invalid-json-lines')!.defect!.invalidLineNumbers!
        .length,
    );
  });

  it('gzips the joined file with --gzip, and exits 0 when every file decodes', async () => {
    const outDir = join(dataDir, 'concat-gz');
    const april19 = join(sourceDir, 'PRO', '2022', 'Apr', '19');
    const { code } = await decompress(april19, outDir, '--concat', '--gzip');
    expect(code).toBe(0);
    const good = files.filter((f) => f.objectName.startsWith('PRO/2022/Apr/19/'));
    expect(good.length).toBeGreaterThan(0);
    const expected = Buffer.concat(await Promise.all(good.map(expectedLines)));
    expect(gunzipSync(await readFile(join(outDir, 'output.ndjson.gz'))).equals(expected)).toBe(
      true,
    );
  });
});

describe('chimera decompress between gs:// locations', () => {
  it('reads and writes through the object store, mirroring names under the prefixes', async () => {
    await store.createBucket('results');
    const { code } = await decompress(`gs://${SOURCE}/PRO/2022/Apr/19`, 'gs://results/out/');
    expect(code).toBe(0);
    const good = files.filter((f) => f.objectName.startsWith('PRO/2022/Apr/19/'));
    for (const file of good) {
      const name = `out/${base(file).slice('PRO/2022/Apr/19/'.length)}`;
      const written = await readAll(await store.read('results', name));
      expect(written.equals(await expectedLines(file)), name).toBe(true);
    }
  });
});

describe('chimera decompress keeps invalid lines with --pass-invalid', () => {
  it('writes every non-blank line of the file', async () => {
    const file = files.find((f) => f.defect?.kind === 'invalid-json-lines')!;
    const folder = join(sourceDir, ...file.objectName.split('/').slice(0, -1));
    const outDir = join(dataDir, 'pass-invalid');
    await decompress(folder, outDir, '--pass-invalid');
    const name = file.objectName
      .split('/')
      .pop()!
      .replace(/\.bz2$/, '');
    const lines = (await readFile(join(outDir, name), 'utf8')).trim().split('\n');
    const kept = (await expectedLines(file)).toString().trim().split('\n');
    expect(lines).toHaveLength(kept.length + file.defect!.invalidLineNumbers!.length);
  });
});

describe('chimera decompress usage', () => {
  it.each([
    ['no arguments', []],
    ['one argument', ['only-src']],
    ['an unknown option', ['a', 'b', '--fast']],
    ['zero workers', ['a', 'b', '--workers', '0']],
    ['an unknown plugin', ['a', 'b', '--plugin', 'csv']],
  ])('exits 2 for %s', async (_label, args) => {
    const { code, err } = await decompress(...args);
    expect(code).toBe(2);
    expect(err).toContain('Usage: chimera decompress');
  });

  it('exits 2 when the source folder does not exist', async () => {
    const { code, err } = await decompress(join(dataDir, 'missing'), join(dataDir, 'x'));
    expect(code).toBe(2);
    expect(err).toContain('does not exist');
  });

  it('exits 1 when no file matches the plugin', async () => {
    const { code, err } = await decompress(sourceDir, join(dataDir, 'y'), '--plugin', 'ndjson');
    expect(code).toBe(1);
    expect(err).toMatch(/No ndjson files/);
  });
});

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../shared/cli/run.js';
import type { LocalObjectStore } from '../../shared/local/adapters/object-store.js';
import { generateSampleData, type ManifestEntry } from '../../shared/local/generator/generate.js';
import { BARS_COLUMNS } from '../../shared/engine/stream/bars-table.js';
import { MARKETS_COLUMNS } from '../../shared/engine/stream/markets-table.js';
import { PRODUCT_NAMES, productColumns } from '../../shared/engine/stream/products.js';
import { ndjsonLines, replayLines } from '../../shared/engine/stream/replay.js';
import { RunnersCollector } from '../../shared/engine/stream/runners.js';
import { RUNNERS_COLUMNS } from '../../shared/engine/stream/runners-table.js';
import { snapshotsColumns } from '../../shared/engine/stream/snapshots-table.js';
import { queryRows, withDatabase } from '../../shared/platform/duckdb/database.js';
import { bzip2Dc } from '../support/bzip2.js';
import { csvRecords, readProductCsv } from '../support/product-csv.js';
import { HISTORIC_SAMPLES_DIR, itWithSamples } from '../support/sample-data.js';
import { tarOf } from '../support/tar.js';
import { readAll, tempStore } from '../support/temp-store.js';
import { captureIo } from './capture-io.js';

const SOURCE = 'betfair-historic';
const FAILING = ['corrupt-bz2', 'truncated-bz2', 'not-bz2'];

let store: LocalObjectStore;
let dataDir: string;
let goodDir: string;
let mixedDir: string;
let good: ManifestEntry[];
let failing: ManifestEntry[];

beforeAll(async () => {
  ({ store, dataDir } = await tempStore());
  const normal = await generateSampleData(store, SOURCE, {
    mode: 'normal',
    seed: 11,
    meetings: 1,
    racesPerMeeting: 3,
    updates: 40,
  });
  good = normal.files;
  goodDir = join(dataDir, 'buckets', SOURCE);
  const malformed = await generateSampleData(store, 'mixed', {
    mode: 'malformed',
    seed: 12,
    date: '2022-04-20',
  });
  failing = malformed.files.filter((file) => FAILING.includes(file.defect?.kind ?? ''));
  mixedDir = join(dataDir, 'buckets', 'mixed');
});

async function chimera(...args: string[]) {
  const io = captureIo();
  const code = await run(args, {}, io, { objectStore: () => store });
  return { code, out: io.out(), err: io.err() };
}

/** The runners rows of each good file, replayed directly, in path order, as NDJSON. */
async function expectedRunners(): Promise<Record<string, unknown>[]> {
  const sorted = [...good].sort((a, b) => (a.objectName < b.objectName ? -1 : 1));
  const rows = [];
  for (const file of sorted) {
    const text = bzip2Dc(await readAll(await store.read(SOURCE, file.objectName))).toString();
    const collector = new RunnersCollector();
    replayLines(ndjsonLines(text), { observers: [collector] });
    rows.push(...collector.takeRows());
  }
  return rows.map((row) => JSON.parse(JSON.stringify(row)) as Record<string, unknown>);
}

function ndjsonRows(text: string): Record<string, unknown>[] {
  return ndjsonLines(text).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('chimera parse over a folder', () => {
  let outDir: string;
  let result: Awaited<ReturnType<typeof chimera>>;

  beforeAll(async () => {
    outDir = join(dataDir, 'parsed-ndjson');
    result = await chimera('parse', goodDir, outDir, '--workers', '2', '--depth', '2');
  });

  it('writes every product as NDJSON and exits 0', async () => {
    expect(result.code, result.out + result.err).toBe(0);
    expect(result.out).toContain(
      `Parsed ${good.length} of ${good.length} files (${good.length} markets`,
    );
    const runners = ndjsonRows(await readFile(join(outDir, 'runners.ndjson'), 'utf8'));
    expect(runners).toEqual(await expectedRunners());
    const markets = ndjsonRows(await readFile(join(outDir, 'markets.ndjson'), 'utf8'));
    expect(markets.map((m) => m.source_object)).toEqual(
      good.map((f) => f.objectName).sort((a, b) => (a < b ? -1 : 1)),
    );
    for (const row of markets) expect(Object.keys(row)).toEqual(MARKETS_COLUMNS.map((c) => c.name));
  });

  it('writes snapshots for -60s, off and close at the depth asked, and bars', async () => {
    const snapshots = ndjsonRows(await readFile(join(outDir, 'snapshots.ndjson'), 'utf8'));
    expect(new Set(snapshots.map((s) => s.moment))).toEqual(new Set(['-60s', 'off', 'close']));
    expect(Object.keys(snapshots[0] ?? {})).toEqual(snapshotsColumns(2).map((c) => c.name));
    const bars = ndjsonRows(await readFile(join(outDir, 'bars.ndjson'), 'utf8'));
    expect(bars.length).toBeGreaterThan(0);
    expect(Object.keys(bars[0] ?? {})).toEqual(BARS_COLUMNS.map((c) => c.name));
  });
});

describe('chimera parse --format csv', () => {
  it('writes one header, the documented columns, and the same rows as NDJSON', async () => {
    const outDir = join(dataDir, 'parsed-csv');
    const { code } = await chimera(
      'parse',
      goodDir,
      outDir,
      '--products',
      'runners,snapshots',
      '--at',
      '-30s,close',
      '--format',
      'csv',
    );
    expect(code).toBe(0);
    const runners = readProductCsv(
      await readFile(join(outDir, 'runners.csv'), 'utf8'),
      RUNNERS_COLUMNS,
    );
    expect(runners).toEqual(await expectedRunners());
    const snapshotsText = await readFile(join(outDir, 'snapshots.csv'), 'utf8');
    const snapshots = readProductCsv(snapshotsText, snapshotsColumns(3));
    expect(csvRecords(snapshotsText).filter((r) => r[0] === 'market_id')).toHaveLength(1);
    expect(new Set(snapshots.map((r) => r.moment))).toEqual(new Set(['-30s', 'close']));
    await expect(readFile(join(outDir, 'markets.csv'))).rejects.toThrow(/ENOENT/);
  });
});

describe('chimera parse --format parquet', () => {
  it('writes Parquet DuckDB reads back with the documented columns and the NDJSON rows', async () => {
    const outDir = join(dataDir, 'parsed-parquet');
    const { code } = await chimera(
      'parse',
      goodDir,
      outDir,
      '--products',
      'runners',
      '--format',
      'parquet',
    );
    expect(code).toBe(0);
    const file = join(outDir, 'runners.parquet');
    const { described, rows } = await withDatabase(':memory:', { readOnly: false }, async (db) => ({
      described: (await queryRows(db, `DESCRIBE SELECT * FROM read_parquet('${file}')`)).rows,
      rows: (
        await queryRows(db, `SELECT market_id, selection_id, bsp FROM read_parquet('${file}')`)
      ).rows,
    }));
    expect(described.map((c) => c.column_name)).toEqual(RUNNERS_COLUMNS.map((c) => c.name));
    const byName = new Map(described.map((c) => [c.column_name, c.column_type]));
    expect([byName.get('selection_id'), byName.get('bsp'), byName.get('event_date')]).toEqual([
      'BIGINT',
      'DOUBLE',
      'DATE',
    ]);
    expect(byName.get('market_time')).toBe('TIMESTAMP WITH TIME ZONE');
    const expected = (await expectedRunners()).map((r) => ({
      market_id: r.market_id,
      selection_id: r.selection_id,
      bsp: r.bsp,
    }));
    expect(rows).toEqual(expected);
  });
});

describe('chimera parse over a .tar', () => {
  it('gives the same rows as over the folder it was made from', async () => {
    const sorted = [...good].sort((a, b) => (a.objectName < b.objectName ? -1 : 1));
    const entries: [string, Buffer][] = [];
    for (const file of sorted) {
      entries.push([file.objectName, await readAll(await store.read(SOURCE, file.objectName))]);
    }
    const archive = join(dataDir, 'download.tar');
    await writeFile(archive, await tarOf(entries));
    const fromTar = join(dataDir, 'parsed-tar');
    const fromFolder = join(dataDir, 'parsed-folder');
    expect((await chimera('parse', archive, fromTar, '--format', 'csv')).code).toBe(0);
    expect((await chimera('parse', goodDir, fromFolder, '--format', 'csv')).code).toBe(0);
    for (const product of PRODUCT_NAMES) {
      const tarText = await readFile(join(fromTar, `${product}.csv`), 'utf8');
      expect(tarText, product).toBe(await readFile(join(fromFolder, `${product}.csv`), 'utf8'));
      const rows = readProductCsv(tarText, productColumns(product));
      expect(rows.length, product).toBeGreaterThan(0);
    }
  });
});

describe('chimera parse over a gs:// prefix', () => {
  it('gives the folder rows, with the object and its generation in markets, into a gs:// target', async () => {
    await store.createBucket('parsed');
    const result = await chimera('parse', `gs://${SOURCE}/`, 'gs://parsed/out', '--format', 'csv');
    expect(result.code, result.out + result.err).toBe(0);
    const folder = join(dataDir, 'parsed-folder-for-gs');
    expect((await chimera('parse', goodDir, folder, '--format', 'csv')).code).toBe(0);
    const runners = (await readAll(await store.read('parsed', 'out/runners.csv'))).toString();
    expect(runners).toBe(await readFile(join(folder, 'runners.csv'), 'utf8'));
    const markets = readProductCsv(
      (await readAll(await store.read('parsed', 'out/markets.csv'))).toString(),
      MARKETS_COLUMNS,
    );
    expect(markets).toHaveLength(good.length);
    for (const row of markets) {
      const object = String(row.source_object);
      expect(object.startsWith(`gs://${SOURCE}/`)).toBe(true);
      const info = await store.stat(SOURCE, object.slice(`gs://${SOURCE}/`.length));
      expect(row.source_generation).toBe(info.generation);
    }
  });
});

describe('chimera parse with files that fail', () => {
  it('lists the corrupt, truncated and non-bz2 files, writes the rest, and exits 1', async () => {
    expect(failing.length).toBeGreaterThan(0);
    const outDir = join(dataDir, 'parsed-mixed');
    const result = await chimera('parse', mixedDir, outDir, '--products', 'markets');
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/file\(s\) failed/);
    for (const file of failing) expect(result.out).toContain(file.objectName);
    const markets = ndjsonRows(await readFile(join(outDir, 'markets.ndjson'), 'utf8'));
    const names = markets.map((m) => m.source_object);
    for (const file of failing) expect(names).not.toContain(file.objectName);
  });

  it('refuses bad options with the allowed values and exit 2', async () => {
    const moment = await chimera('parse', goodDir, dataDir, '--at', 'soon');
    expect(moment.code).toBe(2);
    expect(moment.err).toMatch(/-600s.*"off".*"close"/);
    const product = await chimera('parse', goodDir, dataDir, '--products', 'runners,prices');
    expect(product.code).toBe(2);
    expect(product.err).toContain('runners, markets, snapshots, bars');
    expect((await chimera('parse', goodDir, dataDir, '--bar', '0s')).code).toBe(2);
  });
});

describe('chimera parse over the real samples', () => {
  itWithSamples('gives each sample its markets row with tier and winners', async () => {
    const outDir = join(dataDir, 'parsed-real');
    const result = await chimera('parse', HISTORIC_SAMPLES_DIR, outDir, '--products', 'markets');
    expect(result.code, result.out + result.err).toBe(0);
    const markets = ndjsonRows(await readFile(join(outDir, 'markets.ndjson'), 'utf8'));
    expect(markets.map((m) => [m.market_id, m.tier])).toEqual([
      ['1.132153978', 'BASIC'],
      ['1.197931750', 'PRO'],
      ['1.200806927', 'PRO'],
    ]);
    for (const row of markets) expect(row.winner_ids).not.toBe('');
  });
});

describe('chimera book', () => {
  it('prints the book at a moment as a table of runners', async () => {
    const file = join(goodDir, [...good].sort()[0]?.objectName ?? '');
    const result = await chimera('book', file, '--at', '-60s');
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^Market 1\.\d+ at -60s \(.+\): book of .+, OPEN/);
    expect(result.out).toMatch(/SELECTION\s+RUNNER\s+STATUS\s+BACK\s+LAY\s+LTP\s+TRADED/);
  });

  itWithSamples('prints the real cricket book at close with runner names', async () => {
    const file = join(HISTORIC_SAMPLES_DIR, 'PRO');
    const bz2 = (await import('../support/sample-data.js'))
      .historicSampleFiles(file)
      .find((f) => f.endsWith('1.200806927.bz2'));
    const result = await chimera('book', bz2 ?? '', '--at', 'close');
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/Market 1\.200806927 at close .*OPEN, in play/);
  });

  it('says when there is no book at the moment, and refuses a bad moment', async () => {
    const file = join(goodDir, [...good].sort()[0]?.objectName ?? '');
    const early = await chimera('book', file, '--at', '2000-01-01T00:00:00Z');
    expect(early.code).toBe(1);
    expect(early.err).toMatch(/No book at or before/);
    const bad = await chimera('book', file, '--at', 'later');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/not a moment/);
  });
});

import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { LocalObjectStore } from '../../shared/local/adapters/object-store.js';
import {
  type GenerateOptionsInput,
  generateSampleData,
} from '../../shared/local/generator/generate.js';

/**
 * The bz2 market files the parse bench reads: generated PRO racing (the project's generator)
 * and the real PRO samples in ../shared/data when present. Generated files are cached in
 * os.tmpdir() between runs, keyed by the generator's options.
 */

export const REAL_PRO_SAMPLES = path.resolve(
  import.meta.dirname,
  '../../../shared/data/betfair/historic/PRO',
);

const CACHE = path.join(tmpdir(), 'chimera-parse-bench');

/** The real PRO samples' paths under REAL_PRO_SAMPLES (`PRO/2022/…/<marketId>.bz2`), or none. */
export function realProSampleNames(): string[] {
  if (!existsSync(REAL_PRO_SAMPLES)) return [];
  return readdirSync(REAL_PRO_SAMPLES, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.bz2'))
    .map((name) => `PRO/${name.split(path.sep).join('/')}`)
    .sort();
}

/** A folder of bz2 market files, as `chimera decompress` and `chimera parse` read them. */
export interface Bz2Folder {
  label: string;
  folder: string;
  files: number;
  /** Compressed bytes of all files. */
  bytes: number;
}

/** A local object store in the bench's cache, for buckets that outlive one run. */
export function cachedStore(name: string): {
  store: LocalObjectStore;
  dataDir: string;
  bucketsDir: string;
} {
  const dataDir = path.join(CACHE, name);
  return {
    store: new LocalObjectStore({ dataDir }),
    dataDir,
    bucketsDir: path.join(dataDir, 'buckets'),
  };
}

/**
 * Generated PRO racing written into `bucket` of a cached store, unless a previous run did with
 * the same options; the bucket's folder, ready for the CLI.
 */
export async function generatedBucket(
  storeName: string,
  bucket: string,
  options: GenerateOptionsInput,
): Promise<string> {
  const { store, dataDir, bucketsDir } = cachedStore(storeName);
  const marker = path.join(dataDir, `${bucket}.options.json`);
  const wanted = JSON.stringify(options);
  const had = await readFile(marker, 'utf8').catch(() => undefined);
  if (had !== wanted) {
    await rm(path.join(bucketsDir, bucket), { recursive: true, force: true });
    await generateSampleData(store, bucket, { ...options, concurrency: 2 });
    await writeFile(marker, wanted);
  }
  return path.join(bucketsDir, bucket);
}

/** Writes each real PRO sample into `bucket` of `store` under `<prefix><its historic name>`. */
export async function writeRealSamples(
  store: LocalObjectStore,
  bucket: string,
  prefix = '',
): Promise<string[]> {
  const names: string[] = [];
  for (const name of realProSampleNames()) {
    const bytes = await readFile(path.join(REAL_PRO_SAMPLES, name.slice('PRO/'.length)));
    await store.write(bucket, `${prefix}${name}`, Readable.from([bytes]));
    names.push(`${prefix}${name}`);
  }
  return names;
}

/** The real PRO samples copied `copies` times into a cached folder (`copy-NN/PRO/…`), or none. */
export async function realProFolder(copies: number): Promise<Bz2Folder | undefined> {
  const names = realProSampleNames();
  if (names.length === 0) return undefined;
  const folder = path.join(CACHE, `real-pro-x${copies}`);
  for (let copy = 0; copy < copies; copy++) {
    for (const name of names) {
      const target = path.join(folder, `copy-${String(copy).padStart(2, '0')}`, name);
      if (existsSync(target)) continue;
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(path.join(REAL_PRO_SAMPLES, name.slice('PRO/'.length)), target);
    }
  }
  return describeFolder(`real PRO samples (${names.length} × ${copies})`, folder);
}

/** Counts the .bz2 files under `folder` and their bytes. */
export async function describeFolder(label: string, folder: string): Promise<Bz2Folder> {
  const names = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((name) =>
    name.endsWith('.bz2'),
  );
  let bytes = 0;
  for (const name of names) bytes += (await stat(path.join(folder, name))).size;
  return { label, folder, files: names.length, bytes };
}

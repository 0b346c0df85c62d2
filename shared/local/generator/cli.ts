import { writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { LocalObjectStore } from '../adapters/object-store.js';
import { type GenerateOptionsInput, generateSampleData } from './generate.js';

/** A command line that cannot be used; the message says why. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What the command line asks for. */
export interface CliRequest {
  /** The local store's data folder (the parent of `buckets/`). */
  dataDir: string;
  bucket: string;
  options: GenerateOptionsInput;
  /** Where to write the manifest as JSON, if anywhere. */
  manifestPath?: string;
  help: boolean;
}

export const USAGE = `Usage: tsx shared/local/generator/cli.ts --out <dataDir>/buckets/<bucket> [options]
  --mode normal|high-volume|malformed   (default normal)
  --seed <n>            same seed and options give byte-identical files (default 1)
  --tier PRO|BASIC      (default PRO)
  --date YYYY-MM-DD     first race day (default 2022-04-19)
  --days <n>  --meetings <n>  --races <n>   racing to plan (default 1 day, 4 meetings, ~7 races)
  --updates <n>         price updates per market (default by mode: 300, 20 or 60000, 30)
  --pre-off-minutes <n> how long before the off each stream starts (default 120)
  --shape many-small|few-large   high-volume layout (default many-small)
  --files <n>           high-volume market count (default 1000 small or 3 large)
  --prefix <p>          put before every object name
  --concurrency <n>     bzip2 processes at once (default 4)
  --manifest <file>     also write the manifest as JSON`;

const NUMBERS = {
  seed: 'seed',
  days: 'days',
  meetings: 'meetings',
  races: 'racesPerMeeting',
  updates: 'updates',
  'pre-off-minutes': 'preOffMinutes',
  files: 'files',
  concurrency: 'concurrency',
} as const;
const STRINGS = {
  mode: 'mode',
  tier: 'tier',
  date: 'date',
  shape: 'shape',
  prefix: 'prefix',
} as const;

/** Parses the generator's arguments; throws UsageError. Option values are checked later by zod. */
export function parseCliArgs(argv: string[]): CliRequest {
  const names = [...Object.keys(NUMBERS), ...Object.keys(STRINGS), 'out', 'manifest'];
  const spec = Object.fromEntries(names.map((name) => [name, { type: 'string' as const }]));
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { ...spec, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return { dataDir: '', bucket: '', options: {}, help: true };
  const out = values.out;
  if (typeof out !== 'string') throw new UsageError('--out <dataDir>/buckets/<bucket> is required');
  return {
    ...bucketFolder(out),
    options: options(values),
    manifestPath: str(values.manifest),
    help: false,
  };
}

/** Splits `<dataDir>/buckets/<bucket>` the way the local object store lays buckets out. */
function bucketFolder(out: string): { dataDir: string; bucket: string } {
  const folder = resolve(out);
  if (basename(dirname(folder)) !== 'buckets') {
    throw new UsageError(`--out must be a bucket folder, <dataDir>/buckets/<bucket>; got "${out}"`);
  }
  return { dataDir: dirname(dirname(folder)), bucket: basename(folder) };
}

function options(values: Record<string, string | boolean | undefined>): GenerateOptionsInput {
  const result: Record<string, string | number> = {};
  for (const [flag, key] of Object.entries(STRINGS)) {
    const value = str(values[flag]);
    if (value !== undefined) result[key] = value;
  }
  for (const [flag, key] of Object.entries(NUMBERS)) {
    const value = str(values[flag]);
    if (value === undefined) continue;
    if (!/^\d+$/.test(value))
      throw new UsageError(`--${flag} must be a whole number, got "${value}"`);
    result[key] = Number(value);
  }
  return result;
}

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Writes sample Betfair historical files into a local bucket folder, e.g.
 * `npx tsx shared/local/generator/cli.ts --mode normal --seed 1 --out .data/buckets/betfair-historic`.
 * Returns the process exit code.
 */
export async function main(argv: string[]): Promise<number> {
  try {
    const request = parseCliArgs(argv);
    if (request.help) {
      console.log(USAGE);
      return 0;
    }
    const store = new LocalObjectStore({ dataDir: request.dataDir });
    const manifest = await generateSampleData(store, request.bucket, request.options);
    if (request.manifestPath)
      await writeFile(request.manifestPath, JSON.stringify(manifest, null, 2));
    const bytes = manifest.files.reduce((sum, f) => sum + f.storedBytes, 0);
    console.log(
      `wrote ${manifest.files.length} files (${bytes} bytes) to bucket ${manifest.bucket}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof z.ZodError) {
      console.error(
        `${error instanceof z.ZodError ? z.prettifyError(error) : error.message}\n\n${USAGE}`,
      );
      return 2;
    }
    console.error(error instanceof Error ? error.message : error);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}

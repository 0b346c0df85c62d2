import path from 'node:path';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

// Real vendor files beside the checkout, in ../shared/data; never copied into the repository.
// Tests that need them skip when they are absent.

/** Betfair's real API responses (JSON), with a trailing separator. */
export const API_SAMPLES_DIR =
  path.resolve(import.meta.dirname, '../../../shared/data/betfair/api') + path.sep;

/** Betfair's real historic data files (.bz2). */
export const HISTORIC_SAMPLES_DIR = path.resolve(
  import.meta.dirname,
  '../../../shared/data/betfair/historic',
);

/** Parsed JSON of one API sample file. */
export function readApiSample(name: string): unknown {
  return JSON.parse(readFileSync(`${API_SAMPLES_DIR}${name}`, 'utf8')) as unknown;
}

/** Every .bz2 file under the historic samples folder (or `dir`), or none when it is absent. */
export function historicSampleFiles(dir = HISTORIC_SAMPLES_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return historicSampleFiles(file);
    return entry.name.endsWith('.bz2') ? [file] : [];
  });
}

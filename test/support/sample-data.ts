import path from 'node:path';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'vitest';

// Real vendor files beside the checkout, in ../shared/data; never copied into the repository.
// Tests that need them skip when the folder is absent, through `describeWithSamples` or
// `itWithSamples`, which name the skipped test with SAMPLES_MISSING.

/** The folder of real Betfair samples, ../shared/data beside the checkout. */
export const SAMPLES_DIR = path.resolve(import.meta.dirname, '../../../shared/data');

/** True when the samples folder is present. */
export const hasSamples = existsSync(SAMPLES_DIR);

/** Why sample-based tests are skipped, for their names. */
export const SAMPLES_MISSING = 'skipped: the real Betfair samples in ../shared/data are missing';

/** Betfair's real API responses (JSON), with a trailing separator. */
export const API_SAMPLES_DIR = path.join(SAMPLES_DIR, 'betfair', 'api') + path.sep;

/** Betfair's real historic data files (.bz2). */
export const HISTORIC_SAMPLES_DIR = path.join(SAMPLES_DIR, 'betfair', 'historic');

const skippedName = (name: string) => (hasSamples ? name : `${name} (${SAMPLES_MISSING})`);

/** A suite that needs the samples; skipped, with SAMPLES_MISSING in its name, without them. */
export function describeWithSamples(name: string, fn: () => void): void {
  describe.skipIf(!hasSamples)(skippedName(name), fn);
}

/** A test that needs the samples; skipped, with SAMPLES_MISSING in its name, without them. */
export function itWithSamples(
  name: string,
  fn: () => Promise<void> | void,
  timeoutMs?: number,
): void {
  it.skipIf(!hasSamples)(skippedName(name), fn, timeoutMs);
}

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

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Betfair's real API responses, beside the checkout in ../shared/data (never copied in). */
export const SAMPLES_DIR = fileURLToPath(
  new URL('../../../shared/data/betfair/api/', import.meta.url),
);

/** True when the real samples are present; tests using them skip otherwise. */
export const samplesMissing = !existsSync(`${SAMPLES_DIR}list_market_book.json`);

if (samplesMissing) {
  console.warn(
    `Betfair API samples not found in ${SAMPLES_DIR}; tests that replay them are skipped`,
  );
}

/** Parsed JSON of one sample file. */
export function readSample(name: string): unknown {
  return JSON.parse(readFileSync(`${SAMPLES_DIR}${name}`, 'utf8')) as unknown;
}

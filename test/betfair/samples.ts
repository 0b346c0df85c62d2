import { existsSync } from 'node:fs';
import { API_SAMPLES_DIR } from '../support/sample-data.js';
export { readApiSample as readSample } from '../support/sample-data.js';

/** True when the real samples are present; tests using them skip otherwise. */
export const samplesMissing = !existsSync(`${API_SAMPLES_DIR}list_market_book.json`);

if (samplesMissing) {
  console.warn(
    `Betfair API samples not found in ${API_SAMPLES_DIR}; tests that replay them are skipped`,
  );
}

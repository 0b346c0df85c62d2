import { bzip2Cli } from '../support/bzip2.js';
import { createBetfairPlugin, type SourcePlugin } from '../../shared/plugins/index.js';

/** The Betfair plugin wired to the test decoder. */
export function betfairPlugin(): SourcePlugin {
  return createBetfairPlugin({ decode: bzip2Cli });
}

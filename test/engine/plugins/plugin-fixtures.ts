import { createBetfairPlugin } from '../../../shared/engine/plugins/betfair.js';
import type { SourcePlugin } from '../../../shared/engine/plugins/plugins.js';
import { bzip2Cli } from '../../support/bzip2.js';

/** The Betfair plugin wired to the test decoder. */
export function betfairPlugin(): SourcePlugin {
  return createBetfairPlugin({ decode: bzip2Cli });
}

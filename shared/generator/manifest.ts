import type { Tier } from './market-definition.js';
import type { GeneratorMode } from './options.js';

/** The ways a malformed file can be broken. */
export const DEFECT_KINDS = [
  'corrupt-bz2',
  'truncated-bz2',
  'empty-file',
  'not-bz2',
  'invalid-json-lines',
  'no-final-newline',
  'crlf-line-endings',
  'multi-stream-bz2',
] as const;
export type DefectKind = (typeof DEFECT_KINDS)[number];

/** What is wrong with a malformed file and what a correct pipeline does with it. */
export interface Defect {
  kind: DefectKind;
  problem: string;
  expected: string;
  /** Lines a correct pipeline should output from this file. */
  validLines: number;
  /** 1-based numbers of the lines that are not valid JSON, when some are. */
  invalidLineNumbers?: number[];
}

/** One generated object. */
export interface ManifestEntry {
  objectName: string;
  marketId: string;
  eventId: string;
  /** Lines of the decompressed content (a last line without a newline counts). */
  lines: number;
  /** Length of the decompressed content; for a damaged file, of the content before damage. */
  bytes: number;
  /** Length of the object as stored. */
  storedBytes: number;
  defect?: Defect;
}

/** Everything `generateSampleData` wrote. */
export interface GeneratedManifest {
  bucket: string;
  mode: GeneratorMode;
  seed: number;
  tier: Tier;
  files: ManifestEntry[];
}

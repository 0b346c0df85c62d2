export { normalizeLines, type NormalizedLines } from './normalize-lines.js';
export {
  DEFAULT_BATCH_BYTES,
  DEFAULT_MAX_LINE_BYTES,
  INVALID_LINE_MODES,
  type InvalidLineMode,
  type LineTransform,
  type NormalizeLinesOptions,
} from './line-options.js';
export type { LineStats } from './line-stats.js';
export {
  QuarantineCollector,
  type QuarantineCollectorOptions,
  type QuarantineEntry,
  type QuarantineSink,
} from './quarantine.js';
export { jsonLineProblem } from './json-line.js';

import type { QuarantineSink } from './quarantine.js';

/** What happens to a line that is not valid JSON. */
export const INVALID_LINE_MODES = ['quarantine', 'pass'] as const;
export type InvalidLineMode = (typeof INVALID_LINE_MODES)[number];

/**
 * A per-line hook (for source plugins): returns the line to write, or null to drop it. It gets
 * the line without its newline and must return one line without a newline; the Buffer it gets
 * may be a view of a larger chunk, so it must not be kept after the call.
 */
export type LineTransform = (line: Buffer) => Buffer | null;

/** Longest line accepted by default: far beyond any real Betfair message. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Output Buffer size by default. */
export const DEFAULT_BATCH_BYTES = 256 * 1024;

export interface NormalizeLinesOptions {
  /** Check that each line is one JSON value in UTF-8. Default true. */
  validate?: boolean;
  /** Invalid lines go to `quarantine` (default) or are written like any other line. */
  invalidLines?: InvalidLineMode;
  /** Receives quarantined lines; without one they are only counted. */
  quarantine?: QuarantineSink;
  /** Applied to each line that is written, after validation. */
  transformLine?: LineTransform;
  /** A longer line fails the stream with LINES.TOO_LONG. Default 64 MiB. */
  maxLineBytes?: number;
  /** Size of the Buffers the output is packed into. Default 256 KiB. */
  batchBytes?: number;
}

/** The options with every default filled in. */
export type ResolvedLineOptions = Required<
  Omit<NormalizeLinesOptions, 'quarantine' | 'transformLine'>
> &
  Pick<NormalizeLinesOptions, 'quarantine' | 'transformLine'>;

/** Fills in defaults. */
export function resolveLineOptions(options: NormalizeLinesOptions): ResolvedLineOptions {
  return {
    validate: options.validate ?? true,
    invalidLines: options.invalidLines ?? 'quarantine',
    maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    batchBytes: options.batchBytes ?? DEFAULT_BATCH_BYTES,
    quarantine: options.quarantine,
    transformLine: options.transformLine,
  };
}

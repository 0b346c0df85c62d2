/** The engine's error codes: bytes that do not decode, lines too long, unusable plugins. */
export const ENGINE_ERROR_CODES = [
  'BZ2.NOT_BZIP2',
  'BZ2.TRUNCATED',
  'BZ2.CORRUPT',
  'BZ2.UNSUPPORTED',
  'GZIP.CORRUPT',
  'GZIP.TRUNCATED',
  'LINES.TOO_LONG',
  'TAR.CORRUPT',
  'PLUGIN.NOT_FOUND',
  'PLUGIN.DISABLED',
  'PLUGIN.DUPLICATE_ID',
  'PLUGIN.INVALID_PATH',
  'PLUGIN.INVALID_DATASET',
  'STREAM.BAD_MOMENT',
] as const;

declare module '../platform/errors.js' {
  interface ErrorCodes {
    engine: (typeof ENGINE_ERROR_CODES)[number];
  }
}

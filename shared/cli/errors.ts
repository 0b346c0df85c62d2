/** The `chimera` command's own error codes: an API it cannot reach or understand. */
export const CLI_ERROR_CODES = ['CLI.UNREACHABLE', 'CLI.BAD_RESPONSE'] as const;

declare module '../platform/errors.js' {
  interface ErrorCodes {
    cli: (typeof CLI_ERROR_CODES)[number];
  }
}

/** A command line that cannot be used; the message says why, and the exit code is 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Bounds of the exponential retry backoff, as Pub/Sub's retry policy sets them. */
export interface BackoffPolicy {
  minBackoffMs: number;
  maxBackoffMs: number;
}

/**
 * The wait before retrying after `failedAttempts` failures: doubling from the minimum up to
 * the maximum, then jittered into [half, full] so that many failures at once do not retry in
 * lock step. `random` returns a number in [0, 1).
 */
export function retryDelay(
  failedAttempts: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const ceiling = Math.min(policy.maxBackoffMs, policy.minBackoffMs * 2 ** exponent);
  const floor = Math.min(ceiling, Math.max(policy.minBackoffMs, ceiling / 2));
  return Math.round(floor + (ceiling - floor) * random());
}

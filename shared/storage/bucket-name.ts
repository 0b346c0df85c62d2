import { invalidBucketName } from './storage-errors.js';

const ALLOWED = /^[a-z0-9][a-z0-9._-]*[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Checks a bucket name against Cloud Storage's naming rules: 3–63 characters (up to 222 when
 * dotted, each dot-separated part at most 63), lowercase letters, digits, `-`, `_` and `.`,
 * starting and ending with a letter or digit, not an IP address, not starting with `goog` and
 * not containing `google`. Throws BUCKET.INVALID_NAME.
 */
export function assertBucketName(bucket: string): void {
  const reason = bucketNameProblem(bucket);
  if (reason !== undefined) throw invalidBucketName(bucket, reason);
}

function bucketNameProblem(bucket: string): string | undefined {
  const maxLength = bucket.includes('.') ? 222 : 63;
  if (bucket.length < 3 || bucket.length > maxLength) return `must be 3–${maxLength} characters`;
  if (!ALLOWED.test(bucket)) {
    return 'use a-z, 0-9, "-", "_" and ".", starting and ending with a letter or digit';
  }
  if (bucket.split('.').some((part) => part.length === 0 || part.length > 63)) {
    return 'each dot-separated part must be 1–63 characters';
  }
  if (IP_ADDRESS.test(bucket)) return 'must not look like an IP address';
  if (bucket.startsWith('goog') || bucket.includes('google')) return 'must not name Google';
  return undefined;
}

import { randomBytes } from 'node:crypto';

/** A job id in the predecessor's form, `2024-01-19-abc12345`: the UTC date and 8 hex digits. */
export function newJobId(now: Date): string {
  return `${now.toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
}

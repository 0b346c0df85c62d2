import { invalidObjectName } from './storage-errors.js';

/** Cloud Storage's limit on an object name, in UTF-8 bytes. */
export const MAX_OBJECT_NAME_BYTES = 1024;

/**
 * Checks a name against Cloud Storage's own rules: 1–1024 UTF-8 bytes, no carriage return or
 * line feed, not `.` or `..`. Throws OBJECT.INVALID_NAME.
 */
export function assertCloudObjectName(name: string): void {
  if (name.length === 0) throw invalidObjectName(name, 'empty');
  if (Buffer.byteLength(name, 'utf8') > MAX_OBJECT_NAME_BYTES) {
    throw invalidObjectName(name, `longer than ${MAX_OBJECT_NAME_BYTES} bytes`);
  }
  if (/[\r\n]/.test(name)) throw invalidObjectName(name, 'contains a line break');
  if (name === '.' || name === '..') throw invalidObjectName(name, 'is a relative path');
  // A lone surrogate would be written as U+FFFD, so the stored name would differ from the asked one.
  if (Buffer.from(name, 'utf8').toString('utf8') !== name) {
    throw invalidObjectName(name, 'is not valid Unicode');
  }
}

/**
 * Checks a name that becomes a file path under a bucket folder, so it can never resolve outside
 * it: the Cloud Storage rules plus no NUL, backslash, leading slash, or empty, `.` or `..`
 * segment (which also rules out a trailing slash). Throws OBJECT.INVALID_NAME.
 */
export function assertLocalObjectName(name: string): void {
  assertCloudObjectName(name);
  if (name.includes('\0')) throw invalidObjectName(name, 'contains NUL');
  if (name.includes('\\')) throw invalidObjectName(name, 'contains a backslash');
  if (name.startsWith('/')) throw invalidObjectName(name, 'is an absolute path');
  for (const segment of name.split('/')) {
    if (segment === '') throw invalidObjectName(name, 'has an empty path segment');
    if (segment === '.' || segment === '..') {
      throw invalidObjectName(name, `has a "${segment}" path segment`);
    }
  }
}

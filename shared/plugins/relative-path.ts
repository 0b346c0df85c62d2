import { invalidPath } from './plugin-errors.js';

// Characters a glob would read as syntax; a selected folder must be matched literally.
const GLOB_SYNTAX = /[*?[\]{}()!|]/;
// Control characters (NUL, CR, LF, ...) never belong in a selectable object name.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A folder path inside a bucket in canonical form: `/`-separated (backslashes count as
 * separators), no empty or `.` segments, no leading or trailing slash; `''` for the top.
 * Throws PLUGIN.INVALID_PATH for absolute paths, `..` segments and glob syntax.
 */
export function normalizeRelativePath(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) {
    throw invalidPath(path, 'absolute paths are not allowed');
  }
  if (CONTROL.test(slashed)) throw invalidPath(path, 'contains a control character');
  if (GLOB_SYNTAX.test(slashed)) throw invalidPath(path, 'contains a glob character');
  const segments = slashed.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw invalidPath(path, '".." would leave the dataset');
  return segments.join('/');
}

/** True when `inner` is `outer` or a folder below it (both canonical). */
export function isWithin(inner: string, outer: string): boolean {
  return outer === '' || inner === outer || inner.startsWith(`${outer}/`);
}

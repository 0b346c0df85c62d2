import { echo } from '../errors.js';
import { invalidArgument } from './object-store.js';

/**
 * The glob syntax of `ListOptions.glob`, Cloud Storage's `matchGlob`, for every store:
 *
 * - `*` any characters within one folder level (never `/`);
 * - `**` any characters across folders; as a whole level (`a/**\/b`, `**\/b`) it also matches
 *   no folder at all;
 * - `?` one character other than `/`;
 * - `[abc]`, `[a-z]` one of the characters; `[!abc]` one character not listed (never `/`);
 * - `{a,b}` any of the comma-separated alternatives, each of which may hold wildcards;
 * - `\x` the character `x` itself.
 *
 * Everything else matches itself, the whole name must match, and a leading `.` is an ordinary
 * character. A glob with an unclosed `[` or `{`, a stray `}`, a trailing `\` or a backwards
 * range (`[z-a]`) is OBJECT.INVALID_ARGUMENT in every store.
 */
export function compileObjectGlob(glob: string): (name: string) => boolean {
  const source = `^${globToRegExpSource(glob)}$`;
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, 'su');
  } catch {
    throw badGlob(glob, 'has a character range out of order');
  }
  return (name) => pattern.test(name);
}

// Outside a class, only these need a backslash to be literal in a `u` regular expression.
const REGEXP_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;
const escapeLiteral = (text: string) => text.replace(REGEXP_SYNTAX, '\\$&');

function globToRegExpSource(glob: string): string {
  const chars = [...glob];
  let out = '';
  let openBraces = 0;
  for (let i = 0; i < chars.length; i += 1) {
    const char = chars[i]!;
    if (char === '\\') {
      const next = chars[++i];
      if (next === undefined) throw badGlob(glob, 'ends with an escaping backslash');
      out += escapeLiteral(next);
    } else if (char === '*') {
      let end = i;
      while (chars[end + 1] === '*') end += 1;
      const wholeLevel = (i === 0 || chars[i - 1] === '/') && chars[end + 1] === '/';
      if (end === i) out += '[^/]*';
      else if (wholeLevel) {
        out += '(?:.*/)?';
        end += 1;
      } else out += '.*';
      i = end;
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '[') {
      const { source, end } = characterClass(chars, i, glob);
      out += source;
      i = end;
    } else if (char === '{') {
      openBraces += 1;
      out += '(?:';
    } else if (char === ',' && openBraces > 0) {
      out += '|';
    } else if (char === '}') {
      if (openBraces === 0) throw badGlob(glob, 'has a "}" with no "{"');
      openBraces -= 1;
      out += ')';
    } else {
      out += escapeLiteral(char);
    }
  }
  if (openBraces > 0) throw badGlob(glob, 'has an unclosed "{"');
  return out;
}

/** The class starting at `chars[start]` (`[`) as regular expression source, and where it ends. */
function characterClass(
  chars: string[],
  start: number,
  glob: string,
): { source: string; end: number } {
  let i = start + 1;
  const negated = chars[i] === '!';
  if (negated) i += 1;
  let body = '';
  // A `]` first in the class is a member, not its end.
  for (let first = true; ; first = false, i += 1) {
    const char = chars[i];
    if (char === undefined) throw badGlob(glob, 'has an unclosed "["');
    if (char === ']' && !first) break;
    if (char === '\\') {
      const next = chars[++i];
      if (next === undefined) throw badGlob(glob, 'ends with an escaping backslash');
      body += next === '-' ? '\\-' : escapeClassMember(next);
    } else if (char === '-') {
      body += '-';
    } else {
      body += escapeClassMember(char);
    }
  }
  return { source: negated ? `[^/${body}]` : `[${body}]`, end: i };
}

function escapeClassMember(char: string): string {
  return /[\\\]^[]/.test(char) ? `\\${char}` : char;
}

function badGlob(glob: string, reason: string) {
  return invalidArgument(`Invalid glob ${echo(JSON.stringify(glob))}: ${reason}`);
}

/** Named wildcard values captured from a document path, like Eventarc's path pattern. */
export type PathParams = Record<string, string>;

/** Tests a document path (`jobs/j1/files/f1`) and returns the captured wildcards, or undefined. */
export type PathMatcher = (documentPath: string) => PathParams | undefined;

/**
 * Compiles an Eventarc document path pattern: literal segments, `{name}` or `*` for one
 * segment, and `{name=**}` or `**` for any number of trailing segments.
 */
export function compilePathPattern(pattern: string): PathMatcher {
  const segments = pattern.replace(/^\/+|\/+$/g, '').split('/');
  return (documentPath) => match(segments, documentPath.split('/'));
}

function match(pattern: string[], path: string[]): PathParams | undefined {
  const params: PathParams = {};
  for (let i = 0; i < pattern.length; i += 1) {
    const segment = pattern[i]!;
    const multi = /^\{(\w+)=\*\*\}$/.exec(segment);
    if (segment === '**' || multi) {
      if (multi) params[multi[1]!] = path.slice(i).join('/');
      return i === pattern.length - 1 ? params : undefined;
    }
    const value = path[i];
    if (value === undefined) return undefined;
    const single = /^\{(\w+)(?:=\*)?\}$/.exec(segment);
    if (single) params[single[1]!] = value;
    else if (segment !== '*' && segment !== value) return undefined;
  }
  return pattern.length === path.length ? params : undefined;
}

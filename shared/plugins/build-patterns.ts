import { isWithin, normalizeRelativePath } from './relative-path.js';

/**
 * The predecessor's two globs per selected path — `<dataset>/<path>/*<ext>` for files directly
 * in the folder and `<dataset>/<path>/**\/*<ext>` for files below it — for every extension that
 * a shorter one does not already cover. Selections are normalised and deduplicated; a path
 * inside another selected path is dropped because the outer `**` glob already matches it.
 */
export function buildPatterns(
  paths: readonly string[],
  dataset: string,
  extensions: readonly string[],
): string[] {
  const base = normalizeRelativePath(dataset);
  const folders = outermost(paths.map(normalizeRelativePath)).map((path) =>
    [base, path].filter((part) => part !== '').join('/'),
  );
  const endings = coveringExtensions(extensions);
  return folders.flatMap((folder) => {
    const prefix = folder === '' ? '' : `${folder}/`;
    return endings.flatMap((ext) => [`${prefix}*${ext}`, `${prefix}**/*${ext}`]);
  });
}

/** The paths not inside another one, each once, in the order first given. */
function outermost(paths: readonly string[]): string[] {
  const unique = [...new Set(paths)];
  return unique.filter((path) => !unique.some((other) => other !== path && isWithin(path, other)));
}

/** Extensions not already matched by a shorter one (`.gz` covers `.ndjson.gz`). */
function coveringExtensions(extensions: readonly string[]): string[] {
  const unique = [...new Set(extensions)];
  return unique.filter((ext) => !unique.some((other) => other !== ext && ext.endsWith(other)));
}

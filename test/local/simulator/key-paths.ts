/** Every key path in a JSON value with the JSON types found there; arrays become `[]`. */
export function keyPaths(
  value: unknown,
  prefix = '',
  out = new Map<string, Set<string>>(),
): Map<string, Set<string>> {
  if (Array.isArray(value)) {
    for (const item of value) keyPaths(item, `${prefix}[]`, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      // Runner metadata keys vary by sport; only the map itself is compared.
      const path = prefix.endsWith('.metadata') ? `${prefix}.*` : `${prefix}.${key}`;
      keyPaths(inner, path, out);
    }
  } else if (prefix) {
    const types = out.get(prefix) ?? new Set<string>();
    types.add(value === null ? 'null' : typeof value);
    out.set(prefix, types);
  }
  return out;
}

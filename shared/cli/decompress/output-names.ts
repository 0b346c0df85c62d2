/** `a/x.bz2` → `a/x` for the plugin extension that ends the name (longest first). */
export function stripExtension(name: string, extensions: readonly string[]): string {
  const lower = name.toLowerCase();
  const ext = [...extensions].sort((a, b) => b.length - a.length).find((e) => lower.endsWith(e));
  return ext ? name.slice(0, name.length - ext.length) : name;
}

/** One output per input: `a/x.bz2` → `a/x.ndjson` (or `.ndjson.gz`). */
export function mirroredOutput(base: string, gzip: boolean): string {
  return `${base}.ndjson${gzip ? '.gz' : ''}`;
}

/** Where an output's invalid lines go, beside it: `a/x.quarantine.ndjson`. */
export function quarantineOutput(base: string): string {
  return `${base}.quarantine.ndjson`;
}

/** What `--concat` writes into the destination: `output.ndjson` and `output.quarantine.ndjson`. */
export const CONCAT_BASE = 'output';

import type { DecodedFile } from './decode-file.js';
import { gzipBytes } from './gzip-bytes.js';
import type { Location } from './location.js';
import { CONCAT_BASE, mirroredOutput, quarantineOutput } from './output-names.js';

/** A decoded file's part in the temp folder. */
export interface DecodedPart extends DecodedFile {
  /** The part's name without extension; parts sort in path order. */
  part: string;
}

/**
 * Joins `parts` (already in path order) into `output.ndjson[.gz]` in the target, and their
 * quarantined lines into `output.quarantine.ndjson` when there are any. Returns the names written.
 */
export async function concatParts(
  parts: Location,
  decoded: readonly DecodedPart[],
  target: Location,
  gzip: boolean,
): Promise<string[]> {
  const output = mirroredOutput(CONCAT_BASE, gzip);
  const joined = join(
    parts,
    decoded.map((d) => `${d.part}.ndjson`),
  );
  await target.write(output, gzip ? gzipBytes(joined) : joined);
  const quarantined = decoded.filter((d) => d.quarantined > 0);
  if (quarantined.length === 0) return [output];
  const quarantine = quarantineOutput(CONCAT_BASE);
  await target.write(
    quarantine,
    join(
      parts,
      quarantined.map((d) => `${d.part}.quarantine.ndjson`),
    ),
  );
  return [output, quarantine];
}

async function* join(location: Location, names: readonly string[]): AsyncGenerator<Buffer> {
  for (const name of names) {
    yield* (await location.read(name)) as AsyncIterable<Buffer>;
  }
}

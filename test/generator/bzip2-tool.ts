import { spawnSync } from 'node:child_process';

/** True when the system `bzip2` binary can be run. */
export const hasBzip2 = spawnSync('bzip2', ['--help']).error === undefined;

/** Why bzip2-based tests are skipped, for their names. */
export const BZIP2_MISSING = 'skipped: the system bzip2 binary is not installed';

/** `bzip2 -t` on the bytes: true when the file is a valid bzip2 file. */
export function bzip2Test(data: Buffer): boolean {
  return spawnSync('bzip2', ['-t'], { input: data }).status === 0;
}

/** `bzip2 -dc` on the bytes; throws on invalid data. */
export function bzip2Dc(data: Buffer): Buffer {
  const result = spawnSync('bzip2', ['-dc'], { input: data, maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`bzip2 -dc failed: ${String(result.stderr)}`);
  return result.stdout;
}

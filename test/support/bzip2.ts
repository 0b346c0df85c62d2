import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The reference `bzip2` binary, found on PATH; tests that need it skip when it is absent. */
export const BZIP2 = 'bzip2';

/** True when the system `bzip2` binary can be run. */
export const hasBzip2 = spawnSync(BZIP2, ['--help']).error === undefined;

/** Why bzip2-based tests are skipped, for their names. */
export const BZIP2_MISSING = 'skipped: the system bzip2 binary is not installed';

/** Compresses with the reference tool at level 1..9. */
export function bzip2Compress(data: Uint8Array, level: number): Buffer {
  return execFileSync(BZIP2, ['-c', `-${level}`], { input: data, maxBuffer: 1 << 30 });
}

/** `bzip2 -dc` of a buffer; a 0-byte file (which bzip2 refuses) is taken as empty. Throws on invalid data. */
export function bzip2Dc(compressed: Uint8Array): Buffer {
  if (compressed.length === 0) return Buffer.alloc(0);
  return execFileSync(BZIP2, ['-dc'], { input: compressed, maxBuffer: 1 << 30 });
}

/** `bzip2 -t` on the bytes: true when the file is a valid bzip2 file. */
export function bzip2Test(data: Uint8Array): boolean {
  return spawnSync(BZIP2, ['-t'], { input: data }).status === 0;
}

/** A bz2 decoder for tests: the system's `bzip2 -dc`, fed and read as streams. */
export async function* bzip2Cli(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const child = spawn(BZIP2, ['-dc'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const exited = once(child, 'close') as Promise<[number | null]>;
  // bzip2 may stop reading early on bad input; its exit code reports that, not the broken pipe.
  const feeding = pipeline(Readable.from(source), child.stdin).catch(() => undefined);
  for await (const chunk of child.stdout) yield chunk as Buffer;
  await feeding;
  const [code] = await exited;
  if (code !== 0) throw new Error(`bzip2 -dc exited with code ${code}`);
}

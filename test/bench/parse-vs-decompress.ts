import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../../shared/cli/run.js';
import { captureIo } from '../cli/capture-io.js';
import { median } from './median.js';
import type { Bz2Folder } from './parse-inputs.js';

/**
 * Decompress-only against parse over the same folder of bz2 files, as a user runs them:
 * `chimera decompress <src> <dst>` and `chimera parse <src> <dst> --products runners`, through
 * the CLI's entry (run), in this process, each into an empty folder, alternating, so both see
 * the same machine. Times are medians of `rounds`.
 */

export interface ParseVsDecompress {
  decompress: number;
  parse: number;
}

export async function parseVsDecompress(
  input: Bz2Folder,
  rounds: number,
): Promise<ParseVsDecompress> {
  const times: Record<keyof ParseVsDecompress, number[]> = { decompress: [], parse: [] };
  const scratch = await mkdtemp(path.join(tmpdir(), 'chimera-parse-vs-decompress-'));
  try {
    for (let round = 0; round < rounds; round++) {
      times.decompress.push(
        await chimera(['decompress', input.folder, path.join(scratch, `decompressed-${round}`)]),
      );
      times.parse.push(
        await chimera([
          'parse',
          input.folder,
          path.join(scratch, `parsed-${round}`),
          '--products',
          'runners',
        ]),
      );
      await rm(path.join(scratch, `decompressed-${round}`), { recursive: true });
      await rm(path.join(scratch, `parsed-${round}`), { recursive: true });
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { decompress: median(times.decompress), parse: median(times.parse) };
}

/** Seconds of one `chimera` command; throws with its output unless every file succeeded. */
async function chimera(argv: string[]): Promise<number> {
  const io = captureIo();
  const started = performance.now();
  const code = await run(argv, {}, io);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0)
    throw new Error(`chimera ${argv.join(' ')} exited ${code}:\n${io.out()}${io.err()}`);
  return seconds;
}

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BZIP2 } from '../../support/bzip2.js';
import { makeNdjson, writeNdjson } from './ndjson-fixture.js';

/** Runs the reference bzip2 with `args`, stdin from `from` (or none), stdout to `to`. */
export async function runBzip2(
  args: string[],
  from: string | undefined,
  to: string,
): Promise<void> {
  const child = spawn(BZIP2, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const input = from
    ? pipeline(createReadStream(from), child.stdin)
    : (child.stdin.end(), Promise.resolve());
  const output = pipeline(child.stdout, createWriteStream(to));
  const [code] = (await once(child, 'close')) as [number];
  await Promise.all([input, output]);
  if (code !== 0) throw new Error(`bzip2 ${args.join(' ')} exited with ${code}`);
}

/** Creates `path` with `make(tmp)` unless it exists; a crash leaves no half-made file. */
async function cached(path: string, make: (tmp: string) => Promise<void>): Promise<string> {
  if (existsSync(path)) return path;
  const tmp = `${path}.partial`;
  await make(tmp);
  renameSync(tmp, path);
  return path;
}

/** ~`megabytes` MB of generated NDJSON compressed with `bzip2 -9`, cached in `dir`. */
export async function largeFile(dir: string, megabytes: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  return cached(join(dir, `ndjson-${megabytes}mb.bz2`), async (tmp) => {
    const raw = `${tmp}.ndjson`;
    await writeNdjson(raw, megabytes * 1_000_000, 42);
    await runBzip2(['-9', '-c'], raw, tmp);
    rmSync(raw);
  });
}

/** `copies` concatenated copies of `file` (a multi-stream file, as pbzip2 writes). */
export async function concatenated(file: string, copies: number): Promise<string> {
  return cached(`${file}.x${copies}.bz2`, async (tmp) => {
    const out = createWriteStream(tmp);
    for (let i = 0; i < copies; i++) {
      for await (const chunk of createReadStream(file)) {
        if (!out.write(chunk)) await once(out, 'drain');
      }
    }
    out.end();
    await once(out, 'finish');
  });
}

/** `count` small single-market files (10–300 kB of NDJSON each, `bzip2 -9`), cached in `dir`. */
export async function smallFiles(dir: string, count: number): Promise<string[]> {
  const folder = join(dir, `small-${count}`);
  mkdirSync(folder, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(folder, `${i}.bz2`);
    files.push(
      await cached(path, async (tmp) => {
        const raw = `${tmp}.ndjson`;
        const bytes = 10_000 + ((i * 7919) % 290_000);
        await pipeline([makeNdjson(bytes, 1000 + i)], createWriteStream(raw));
        await runBzip2(['-9', '-c'], raw, tmp);
        rmSync(raw);
      }),
    );
  }
  return files;
}

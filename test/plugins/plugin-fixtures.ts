import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createBetfairPlugin, type SourcePlugin } from '../../shared/plugins/index.js';

/** A bz2 decoder for tests: the system's `bzip2 -dc`, fed and read as streams. */
export async function* bzip2Cli(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const child = spawn('bzip2', ['-dc'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const exited = once(child, 'close') as Promise<[number | null]>;
  // bzip2 may stop reading early on bad input; its exit code reports that, not the broken pipe.
  const feeding = pipeline(Readable.from(source), child.stdin).catch(() => undefined);
  for await (const chunk of child.stdout) yield chunk as Buffer;
  await feeding;
  const [code] = await exited;
  if (code !== 0) throw new Error(`bzip2 -dc exited with code ${code}`);
}

/** The Betfair plugin wired to the test decoder. */
export function betfairPlugin(): SourcePlugin {
  return createBetfairPlugin({ decode: bzip2Cli });
}

import type { Writable } from 'node:stream';

/** A stream the CLI writes to; `isTTY` decides between a live progress bar and plain lines. */
export type CliStream = Writable & { isTTY?: boolean; columns?: number };

/** Where the CLI writes: injected so tests can capture output and run without a terminal. */
export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
}

/** Writes `text` and a newline to `stream`. */
export function println(stream: CliStream, text = ''): void {
  stream.write(`${text}\n`);
}

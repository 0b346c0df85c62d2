import { spawn } from 'node:child_process';

/** Raised when the system `bzip2` binary cannot be run. */
export class Bzip2UnavailableError extends Error {
  constructor(cause: unknown) {
    super(
      'the generator compresses with the system "bzip2" binary, which could not be run; ' +
        'install it (e.g. apt-get install bzip2) and try again',
      { cause },
    );
    this.name = 'Bzip2UnavailableError';
  }
}

/**
 * Compresses `data` into one bzip2 stream with the system `bzip2` (level 9, as the vendor's
 * files are). No pure-JS bzip2 compressor on npm is both maintained and permissively licensed,
 * and bzip2's output depends only on its input, so files stay byte-identical for a seed.
 */
export function bzip2Compress(data: Buffer): Promise<Buffer> {
  return runBzip2(['-c', '-9'], data);
}

/** Decompresses every stream of a bzip2 file with the system `bzip2`; rejects on bad data. */
export function bzip2Decompress(data: Buffer): Promise<Buffer> {
  return runBzip2(['-d', '-c'], data);
}

function runBzip2(args: string[], input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('bzip2', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new Bzip2UnavailableError(error) : error);
    });
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else
        reject(
          new Error(
            `bzip2 ${args.join(' ')} exited with ${code}: ${Buffer.concat(err).toString().trim()}`,
          ),
        );
    });
    // A child that dies early closes stdin; its exit code reports the real failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

import { spawn } from 'node:child_process';
import type { MarketPlan } from './markets.js';
import { createRng, deriveSeed } from './random.js';
import { marketStream, type MarketStreamOptions } from './stream.js';

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

/** A file ready to store, with what a manifest records of its content. */
export interface MarketFile {
  stored: Buffer;
  /** Publish time of the first message; the market's start when there is no message. */
  firstPt: number;
  /** Lines of the decompressed content (a last line without a newline counts). */
  lines: number;
  /** Length of the decompressed content; for a damaged file, of the content before damage. */
  bytes: number;
  defect?: Defect;
}

/** How to write a market's file: its stream's tier and timeline, and the seed it is drawn from. */
export interface MarketFileOptions extends Omit<MarketStreamOptions, 'market'> {
  seed: number;
}

/** The lines of one market, from its own seed so markets do not depend on each other. */
export function marketLines(market: MarketPlan, options: MarketFileOptions): string[] {
  const rng = createRng(deriveSeed(options.seed, `market:${market.marketId}`));
  return marketStream(
    { market, tier: options.tier, updates: options.updates, preOffMinutes: options.preOffMinutes },
    rng,
  );
}

/** A well-formed market file: NDJSON ending in a newline, one bzip2 stream. */
export async function buildMarketFile(
  market: MarketPlan,
  options: MarketFileOptions,
): Promise<MarketFile> {
  const lines = marketLines(market, options);
  const content = Buffer.from(lines.map((line) => `${line}\n`).join(''));
  const stored = await bzip2Compress(content);
  return { stored, firstPt: firstPt(market, lines), lines: lines.length, bytes: content.length };
}

/** A market file broken in one way (see MALFORMED_BUILDERS). */
export async function buildMalformedFile(
  market: MarketPlan,
  kind: DefectKind,
  options: MarketFileOptions,
): Promise<MarketFile> {
  const lines = marketLines(market, options);
  const file = await MALFORMED_BUILDERS[kind](lines);
  return {
    stored: file.stored,
    firstPt: firstPt(market, lines),
    lines: file.lines,
    bytes: file.content.length,
    defect: file.defect,
  };
}

function firstPt(market: MarketPlan, lines: string[]): number {
  return (JSON.parse(lines[0] ?? '{}') as { pt?: number }).pt ?? market.marketTime.getTime();
}

/** The ways a malformed file can be broken. */
export const DEFECT_KINDS = [
  'corrupt-bz2',
  'truncated-bz2',
  'empty-file',
  'not-bz2',
  'invalid-json-lines',
  'no-final-newline',
  'crlf-line-endings',
  'multi-stream-bz2',
] as const;
export type DefectKind = (typeof DEFECT_KINDS)[number];

/** What is wrong with a malformed file and what a correct pipeline does with it. */
export interface Defect {
  kind: DefectKind;
  problem: string;
  expected: string;
  /** Lines a correct pipeline should output from this file. */
  validLines: number;
  /** 1-based numbers of the lines that are not valid JSON, when some are. */
  invalidLineNumbers?: number[];
}

/** A malformed file: the stored bytes, and what its content was before any damage. */
export interface MalformedFile {
  stored: Buffer;
  content: Buffer;
  lines: number;
  defect: Defect;
}

type Builder = (lines: string[]) => Promise<MalformedFile>;

const ndjson = (lines: string[], eol = '\n'): Buffer =>
  Buffer.from(lines.map((l) => l + eol).join(''));

/** Every defect with its builder, in the order the malformed mode writes them. */
export const MALFORMED_BUILDERS: Record<DefectKind, Builder> = {
  'corrupt-bz2': async (lines) => {
    const content = ndjson(lines);
    const stored = await bzip2Compress(content);
    // Mid-file is inside the compressed block, so the block CRC catches it.
    const middle = Math.floor(stored.length / 2);
    stored[middle] = (stored[middle] ?? 0) ^ 0xff;
    return malformed('corrupt-bz2', stored, content, lines.length, {
      problem: `byte ${middle} of the compressed block is flipped; the block CRC no longer matches`,
      expected: 'fail the file with a data error, emit none of its lines, record it for review',
    });
  },
  'truncated-bz2': async (lines) => {
    const content = ndjson(lines);
    const whole = await bzip2Compress(content);
    const stored = whole.subarray(0, Math.floor(whole.length * 0.6));
    return malformed('truncated-bz2', stored, content, lines.length, {
      problem: `cut at ${stored.length} of ${whole.length} bytes; the stream has no end marker`,
      expected: 'fail the file as truncated, emit none of its lines, record it for review',
    });
  },
  'empty-file': () =>
    Promise.resolve({
      stored: Buffer.alloc(0),
      content: Buffer.alloc(0),
      lines: 0,
      defect: {
        kind: 'empty-file',
        problem: 'the object is 0 bytes (the vendor ships some empty files)',
        expected: 'treat as a market with no lines: succeed, output nothing, count it processed',
        validLines: 0,
      },
    }),
  'not-bz2': (lines) => {
    const content = ndjson(lines);
    return Promise.resolve(
      malformed('not-bz2', content, content, lines.length, {
        problem: 'plain NDJSON named .bz2: no "BZh" magic',
        expected: 'fail the file as not bzip2 (do not guess the format), record it for review',
      }),
    );
  },
  'invalid-json-lines': async (lines) => {
    const { mixed, invalid } = withInvalidLines(lines);
    const content = ndjson(mixed);
    return {
      stored: await bzip2Compress(content),
      content,
      lines: mixed.length,
      defect: {
        kind: 'invalid-json-lines',
        problem: `lines ${invalid.join(', ')} are not valid JSON; the others are`,
        expected:
          'decompress/concatenate: copy every line unchanged; parsing modes: keep the valid ' +
          'lines and send the invalid ones, with their line numbers, to the dead-letter output',
        validLines: lines.length,
        invalidLineNumbers: invalid,
      },
    };
  },
  'no-final-newline': async (lines) => {
    const content = Buffer.from(lines.join('\n'));
    return malformed(
      'no-final-newline',
      await bzip2Compress(content),
      content,
      lines.length,
      {
        problem: 'the last line has no line feed',
        expected: 'output every line; add the missing newline so the next file does not join it',
      },
      lines.length,
    );
  },
  'crlf-line-endings': async (lines) => {
    const content = ndjson(lines, '\r\n');
    return malformed(
      'crlf-line-endings',
      await bzip2Compress(content),
      content,
      lines.length,
      {
        problem: 'lines end with CR LF',
        expected: 'output every line, ending in LF alone (strip the CR)',
      },
      lines.length,
    );
  },
  'multi-stream-bz2': async (lines) => {
    const half = Math.ceil(lines.length / 2);
    const first = await bzip2Compress(ndjson(lines.slice(0, half)));
    const second = await bzip2Compress(ndjson(lines.slice(half)));
    const content = ndjson(lines);
    return malformed(
      'multi-stream-bz2',
      Buffer.concat([first, second]),
      content,
      lines.length,
      {
        problem: `two bzip2 streams back to back (lines 1–${half}, then the rest), as pbzip2 writes`,
        expected: 'decode every stream and output all lines; stopping after the first loses half',
      },
      lines.length,
    );
  },
};

type Words = Pick<Defect, 'problem' | 'expected'>;

/** A malformed file; `validLines` says how many of its lines a correct pipeline keeps. */
function malformed(
  kind: DefectKind,
  stored: Buffer,
  content: Buffer,
  lines: number,
  words: Words,
  validLines = 0,
): MalformedFile {
  return { stored, content, lines, defect: { kind, ...words, validLines } };
}

/** Puts three broken lines among the valid ones: cut short, not JSON at all, trailing junk. */
function withInvalidLines(lines: string[]): { mixed: string[]; invalid: number[] } {
  const broken = [(lines[1] ?? '{}').slice(0, 40), 'this is not json', `${lines[0] ?? '{}'}}`];
  const mixed = [...lines];
  const invalid: number[] = [];
  broken.forEach((line, i) => {
    const at = Math.min(mixed.length, Math.floor(((i + 1) * mixed.length) / (broken.length + 1)));
    mixed.splice(at, 0, line);
    invalid.push(at + 1);
  });
  return { mixed, invalid };
}

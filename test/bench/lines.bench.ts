import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { normalizeLines, type NormalizeLinesOptions } from '../../shared/engine/lines/lines.js';

/**
 * Throughput of normalizeLines on generated Betfair-like NDJSON, with and without JSON validation.
 * The machine's load matters: compare rows of one run, not runs. On the 2-core build machine,
 * unloaded, 100 MB: split only 1.1-1.6 GB/s, split + JSON check ~180 MB/s, split + JSON.parse
 * ~113 MB/s, for generated lines and for real Betfair PRO/BASIC files alike.
 * Run: npx tsx test/bench/lines.bench.ts [megabytes] [ndjson-file]   (default 100, generated)
 * With a file (e.g. `bzip2 -dc` of a Betfair sample), its lines are repeated up to the size.
 */

const CHUNK_BYTES = 64 * 1024;

/** NDJSON of market-change-like messages, some CRLF-terminated, about `megabytes` long. */
function generate(megabytes: number): Buffer {
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < megabytes * 1024 * 1024; i += 1) {
    const runners = Array.from({ length: 1 + (i % 12) }, (_, r) => ({
      id: 1000 + r,
      atb: [[1.5 + r, 10.5 + i]],
      atl: [[2.5 + r, 3]],
      ltp: 2.02,
    }));
    const message = {
      op: 'mcm',
      clk: String(i),
      pt: 1650000000000 + i,
      mc: [{ id: '1.1979', rc: runners }],
    };
    const line = JSON.stringify(message) + (i % 10 === 0 ? '\r\n' : '\n');
    lines.push(line);
    bytes += line.length;
  }
  return Buffer.from(lines.join(''));
}

function chunks(data: Buffer): AsyncIterable<Buffer> {
  return Readable.from(slices(data)) as AsyncIterable<Buffer>;
}

function* slices(data: Buffer): Generator<Buffer> {
  for (let offset = 0; offset < data.length; offset += CHUNK_BYTES) {
    yield data.subarray(offset, offset + CHUNK_BYTES);
  }
}

async function measure(label: string, data: Buffer, options: NormalizeLinesOptions): Promise<void> {
  const started = process.hrtime.bigint();
  const { output, stats } = normalizeLines(chunks(data), options);
  let buffers = 0;
  for await (const buffer of output) buffers += buffer.length > 0 ? 1 : 0;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rate = data.length / 1024 / 1024 / seconds;
  console.log(
    `${label.padEnd(22)} ${rate.toFixed(0).padStart(5)} MB/s  ` +
      `(${stats.linesOut} lines, ${buffers} output buffers, ${seconds.toFixed(2)} s)`,
  );
}

/** What validating with JSON.parse alone would cost, for comparison with the byte-level check. */
function parseEach(line: Buffer): Buffer {
  JSON.parse(line.toString('utf8'));
  return line;
}

/** `file` repeated until it is about `megabytes` long. */
function repeatFile(file: string, megabytes: number): Buffer {
  const text = readFileSync(file);
  const copies = Math.max(1, Math.round((megabytes * 1024 * 1024) / text.length));
  return Buffer.concat(Array.from({ length: copies }, () => text));
}

async function main(): Promise<void> {
  const megabytes = Number(process.argv[2] ?? 100);
  const file = process.argv[3];
  const data = file === undefined ? generate(megabytes) : repeatFile(file, megabytes);
  console.log(
    `${(data.length / 1024 / 1024).toFixed(0)} MB of NDJSON in ${CHUNK_BYTES / 1024} KiB chunks`,
  );
  for (let round = 0; round < 2; round += 1) {
    await measure('split only', data, { validate: false });
    await measure('split + JSON check', data, {});
    await measure('split + JSON.parse', data, { validate: false, transformLine: parseEach });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();

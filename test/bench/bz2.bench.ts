import pLimit from 'p-limit';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeBzip2 } from '../../shared/engine/bz2/decode-bzip2.js';
import {
  createBzip2WorkerPool,
  type Bzip2WorkerPool,
} from '../../shared/engine/bz2/worker-pool.js';
import { concatenated, largeFile, smallFiles } from '../engine/bz2/bench-fixtures.js';
import { BZIP2 } from '../support/bzip2.js';

/**
 * bzip2 decoding: our engine against `bzip2 -dc` on this machine.
 *  (a) one large generated NDJSON file (-9): wall time, median of 3 runs each;
 *  (b) 1000 small single-market files: a serial `bzip2 -dc` loop against the engine decoding
 *      files concurrently on its worker pool;
 *  (c) peak RSS of a child process decoding a ≥ 1 GB (decompressed) multi-stream file, the
 *      median of 3 children.
 * Inputs are generated deterministically into os.tmpdir() and cached between runs.
 * The machine's load matters: compare rows of one run, not runs.
 * Run: npx tsx test/bench/bz2.bench.ts [large-file-megabytes]   (default 200)
 */

const CACHE = join(tmpdir(), 'chimera-bz2-bench');
const SMALL_FILES = 1000;

async function bzip2ToNull(file: string): Promise<void> {
  const child = spawn(BZIP2, ['-dc', file], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = (await once(child, 'close')) as [number];
  if (code !== 0) throw new Error(`bzip2 -dc ${file} exited with ${code}`);
}

/** Decodes a file with the engine, discarding the output; returns the decompressed size. */
async function decodeToNull(
  file: string,
  workers?: Bzip2WorkerPool,
  inlineSingleBlock = true,
): Promise<number> {
  let bytes = 0;
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  for await (const chunk of decodeBzip2(source, { workers, inlineSingleBlock }))
    bytes += chunk.length;
  return bytes;
}

async function seconds(run: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function median3(run: () => Promise<unknown>): Promise<number> {
  const times = [await seconds(run), await seconds(run), await seconds(run)];
  return times.sort((a, b) => a - b)[1]!;
}

function row(label: string, secs: number, megabytes: number, baseline?: number): void {
  const rate = `${(megabytes / secs).toFixed(1)} MB/s`.padStart(11);
  const ratio = baseline === undefined ? '' : `  ${(baseline / secs).toFixed(2)}x bzip2 -dc`;
  console.log(`  ${label.padEnd(44)} ${secs.toFixed(2).padStart(7)} s ${rate}${ratio}`);
}

async function largeFileRows(pool: Bzip2WorkerPool, megabytes: number): Promise<void> {
  const file = await largeFile(CACHE, megabytes);
  const size = (await decodeToNull(file, pool)) / 1e6;
  console.log(
    `(a) one file: ${size.toFixed(0)} MB NDJSON, ${(statSync(file).size / 1e6).toFixed(1)} MB bz2 (-9)`,
  );
  const baseline = await median3(() => bzip2ToNull(file));
  row('bzip2 -dc', baseline, size);
  // Other work on the machine takes cores away; this shows how many were actually free.
  const twice = await seconds(() => Promise.all([bzip2ToNull(file), bzip2ToNull(file)]));
  console.log(
    `  (two bzip2 -dc at once: ${(twice / baseline).toFixed(2)}x one, ~${((2 * baseline) / twice).toFixed(1)} cores free)`,
  );
  row(
    `engine, ${pool.size} worker threads`,
    await median3(() => decodeToNull(file, pool)),
    size,
    baseline,
  );
  row(
    'engine, inline (1 thread, no pool)',
    await median3(() => decodeToNull(file)),
    size,
    baseline,
  );
}

async function smallFileRows(pool: Bzip2WorkerPool): Promise<void> {
  const files = await smallFiles(CACHE, SMALL_FILES);
  const limit = pLimit(pool.size * 2);
  // Not all at once: 1000 open files, each with its 1 MB read buffer and a block being
  // decoded, took this process to ~450 MB RSS.
  const sizes = await Promise.all(files.map((f) => limit(() => decodeToNull(f))));
  const size = sizes.reduce((a, b) => a + b, 0) / 1e6;
  const compressed = files.reduce((sum, f) => sum + statSync(f).size, 0) / 1e6;
  console.log(
    `(b) ${files.length} small files: ${size.toFixed(0)} MB NDJSON, ${compressed.toFixed(1)} MB bz2`,
  );
  const baseline = await seconds(async () => {
    for (const file of files) await bzip2ToNull(file);
  });
  row('serial bzip2 -dc loop (one process per file)', baseline, size);
  const concurrent = await seconds(() =>
    Promise.all(files.map((f) => limit(() => decodeToNull(f, pool, false)))),
  );
  row(`engine, ${pool.size * 2} files at a time on the pool`, concurrent, size, baseline);
  const serial = await seconds(async () => {
    for (const file of files) await decodeToNull(file);
  });
  row('engine, one file at a time, inline', serial, size, baseline);
}

/** One child process decoding `file`; its own peak RSS (MB), decompressed bytes and seconds. */
async function rssChildRun(file: string): Promise<{ bytes: number; peakMb: number; secs: number }> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--rss-child', file],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let report = '';
  child.stdout.on('data', (chunk: Buffer) => (report += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number];
  if (code !== 0) throw new Error(`the RSS child exited with ${code}`);
  return JSON.parse(report) as { bytes: number; peakMb: number; secs: number };
}

async function rssRow(megabytes: number): Promise<void> {
  const copies = Math.ceil(1000 / megabytes) + 1;
  const file = await concatenated(await largeFile(CACHE, megabytes), copies);
  const runs = [await rssChildRun(file), await rssChildRun(file), await rssChildRun(file)];
  const sorted = [...runs].sort((a, b) => a.peakMb - b.peakMb);
  const median = sorted[1]!;
  console.log(`(c) ${copies} concatenated streams: ${(median.bytes / 1e6).toFixed(0)} MB NDJSON`);
  const all = runs.map((r) => r.peakMb.toFixed(0)).join(', ');
  console.log(
    `  ${'engine in a child process, peak RSS (median)'.padEnd(44)} ${median.peakMb.toFixed(0).padStart(7)} MB  (${(median.bytes / 1e6 / median.secs).toFixed(1)} MB/s; runs: ${all} MB)`,
  );
}

/**
 * This process's peak RSS in MB. Linux's VmHWM covers only this process image; getrusage's
 * maxRSS (the fallback elsewhere) also counts the parent's RSS at fork time, which made this
 * bench report the parent's few hundred MB instead of the child's own peak.
 */
function peakRssMb(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS / 1024;
}

async function rssChild(file: string): Promise<void> {
  const pool = createBzip2WorkerPool();
  let bytes = 0;
  const secs = await seconds(async () => (bytes = await decodeToNull(file, pool)));
  await pool.close();
  process.stdout.write(JSON.stringify({ bytes, peakMb: peakRssMb(), secs }));
}

async function main(): Promise<void> {
  if (process.argv[2] === '--rss-child') return rssChild(process.argv[3]!);
  const megabytes = Number(process.argv[2] ?? 200);
  const pool = createBzip2WorkerPool();
  console.log(`bzip2 decoding, ${pool.size} cores available; inputs cached in ${CACHE}`);
  try {
    await largeFileRows(pool, megabytes);
    await smallFileRows(pool);
    await rssRow(megabytes);
  } finally {
    await pool.close();
  }
}

await main();

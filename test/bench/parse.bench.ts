import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ndjsonLines, replayLines } from '../../shared/engine/stream/replay.js';
import { RunnersCollector } from '../../shared/engine/stream/runners.js';
import { marketLines } from '../../shared/local/generator/files.js';
import { resolveOptions } from '../../shared/local/generator/generate.js';
import { planMarkets } from '../../shared/local/generator/markets.js';

/**
 * The stream engine's speed on one thread, against JSON.parse of the same lines alone (the
 * floor: the engine parses every line, then applies it). Each market file is replayed on its own
 * with the `runners` product collecting, as a parse job does. Updates are runner changes (each
 * entry of an `rc` list). Inputs: generated PRO racing files (the project's generator), and the
 * real PRO samples in ../shared/data when present, repeated up to the same size.
 * Lines are given as bytes, as the line splitter hands them over; the floor is JSON.parse of the
 * same lines already decoded to strings, and also with the decoding a byte line needs first.
 * The machine's load matters: compare rows of one run, not runs.
 * Run: npx tsx test/bench/parse.bench.ts [megabytes]   (default 40)
 */

const REAL_SAMPLES = path.resolve(import.meta.dirname, '../../../shared/data/betfair/historic/PRO');
const ROUNDS = 3;

interface Dataset {
  label: string;
  /** Each file's lines as bytes, as the line splitter hands them over. */
  files: Buffer[][];
  /** The same lines decoded, for JSON.parse alone. */
  texts: string[][];
  bytes: number;
  updates: number;
}

function dataset(label: string, texts: string[][]): Dataset {
  const files = texts.map((lines) => lines.map((line) => Buffer.from(line)));
  let bytes = 0;
  for (const lines of files) for (const line of lines) bytes += line.length + 1;
  const updates = files.reduce((total, lines) => total + replayLines(lines).counts.updates, 0);
  return { label, files, texts, bytes, updates };
}

/** Generated PRO racing markets, whole files, until about `megabytes`. */
function generatedPro(megabytes: number): Dataset {
  const options = resolveOptions({ tier: 'PRO', days: 4, meetings: 6 });
  const files: string[][] = [];
  let bytes = 0;
  for (const market of planMarkets(options)) {
    if (bytes >= megabytes * 1024 * 1024) break;
    const lines = marketLines(market, {
      seed: options.seed,
      tier: 'PRO',
      updates: options.updates,
      preOffMinutes: options.preOffMinutes,
    });
    files.push(lines);
    bytes += lines.reduce((total, line) => total + line.length + 1, 0);
  }
  return dataset(`generated PRO racing (${files.length} markets)`, files);
}

/** The real PRO samples, each repeated so together they reach about `megabytes`; none if absent. */
function realPro(megabytes: number): Dataset | undefined {
  if (!existsSync(REAL_SAMPLES)) return undefined;
  const samples = readdirSync(REAL_SAMPLES, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.bz2'))
    .map((name) => {
      const text = execFileSync('bzip2', ['-dc'], {
        input: readFileSync(path.join(REAL_SAMPLES, name)),
        maxBuffer: 1 << 30,
      });
      return ndjsonLines(text.toString('utf8'));
    });
  const sampleBytes = samples.reduce(
    (t, lines) => t + lines.reduce((b, l) => b + l.length + 1, 0),
    0,
  );
  const copies = Math.max(1, Math.round((megabytes * 1024 * 1024) / sampleBytes));
  const files = Array.from({ length: copies }, () => samples).flat();
  return dataset(`real PRO samples (${samples.length} files × ${copies})`, files);
}

function seconds(run: () => void): number {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function engine(data: Dataset): void {
  for (const lines of data.files) {
    const runners = new RunnersCollector();
    replayLines(lines, { observers: [runners] });
    runners.takeRows();
  }
}

function parseOnly(data: Dataset): void {
  for (const lines of data.texts) for (const line of lines) JSON.parse(line);
}

function decodeAndParse(data: Dataset): void {
  for (const lines of data.files) for (const line of lines) JSON.parse(line.toString('utf8'));
}

function row(label: string, data: Dataset, time: number): string {
  const mb = data.bytes / 1024 / 1024 / time;
  const updates = data.updates / time;
  return `  ${label.padEnd(26)} ${mb.toFixed(1).padStart(6)} MB/s  ${Math.round(updates).toLocaleString('en').padStart(10)} updates/s`;
}

function measure(data: Dataset): void {
  console.log(
    `${data.label}: ${(data.bytes / 1024 / 1024).toFixed(1)} MB, ` +
      `${data.updates.toLocaleString('en')} updates, one thread`,
  );
  const runs = { engine, parse: parseOnly, decode: decodeAndParse };
  const best = { engine: Infinity, parse: Infinity, decode: Infinity };
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of ['engine', 'parse', 'decode'] as const) {
      best[name] = Math.min(
        best[name],
        seconds(() => runs[name](data)),
      );
    }
  }
  console.log(row('engine + runners product', data, best.engine));
  console.log(row('JSON.parse alone (floor)', data, best.parse));
  console.log(row('utf8 decode + JSON.parse', data, best.decode));
  const ratio = (best.engine / best.parse).toFixed(2);
  console.log(`  engine time ÷ JSON.parse time: ${ratio}  (best of ${ROUNDS}; < 1 is faster)`);
}

function main(): void {
  const megabytes = Number(process.argv[2] ?? 40);
  measure(generatedPro(megabytes));
  const real = realPro(megabytes);
  if (real === undefined) console.log(`real PRO samples: none in ${REAL_SAMPLES}, skipped`);
  else measure(real);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();

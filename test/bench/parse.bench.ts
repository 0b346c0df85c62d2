import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeBzip2 } from '../../shared/engine/bz2/decode-bzip2.js';
import { ndjsonLines, replayLines } from '../../shared/engine/stream/replay.js';
import { marketLines } from '../../shared/local/generator/files.js';
import { resolveOptions } from '../../shared/local/generator/generate.js';
import { planMarkets } from '../../shared/local/generator/markets.js';
import type { SupportedProcessType } from '../../shared/pipeline/job-model.js';
import type { ObjectStore } from '../../shared/platform/ports/object-store.js';
import {
  decompressFunctionSeconds,
  type FileSeconds,
  type FunctionInput,
} from './decompress-function.js';
import { median } from './median.js';
import { allCoresTimes, type AllCoresTimes, shareBySize } from './parse-all-cores.js';
import {
  cachedStore,
  describeFolder,
  generatedBucket,
  REAL_PRO_SAMPLES,
  realProFolder,
  realProSampleNames,
  writeRealSamples,
  type Bz2Folder,
} from './parse-inputs.js';
import { parseVsDecompress } from './parse-vs-decompress.js';
import { lineBytes, PARSE_LEGS, type ParseLeg, secondsOf } from './parse-work.js';

/**
 * The parse job's speed, in one run, each leg against its baseline:
 *  (a) the stream engine on one thread and on every core (one worker thread each, the files
 *      split between them), against JSON.parse of the same lines alone (the floor: the engine
 *      parses every line, then applies it). Each market file is replayed on its own with the
 *      `runners` product collecting, as a parse job does; updates are runner changes (each
 *      entry of an `rc` list). Inputs: generated PRO racing (the project's generator) and the
 *      real PRO samples in ../shared/data when present, repeated up to the same size. Lines
 *      are given as bytes, as the line splitter hands them over. Target: ≥ 300 000 updates/s
 *      per core.
 *  (b) decompress-only against parse of the same folder of bz2 files, as a user runs them:
 *      `chimera decompress` and `chimera parse --products runners`. Target: parse ≤ 1.5× the
 *      time of decompress-only.
 *  (c) the decompress function's handler, per file, as Pub/Sub invokes it, for PRO racing
 *      files of a real market's size (generated, 100–400 KB of bz2) and the real samples.
 * The machine's load matters: compare rows of one run, not runs.
 * Run: npx tsx test/bench/parse.bench.ts [megabytes]   (default 40, for (a))
 */

const ROUNDS = 3;
const LEGS: readonly ParseLeg[] = ['engine', 'parse', 'decode'];
const LEG_LABELS: Record<ParseLeg, string> = {
  engine: 'engine + runners product',
  parse: 'JSON.parse alone (floor)',
  decode: 'utf8 decode + JSON.parse',
};
/** The folder (b) reads: a few hundred generated PRO racing markets, as the generator writes. */
const GENERATED_FOLDER = { tier: 'PRO', days: 4, meetings: 5, seed: 5 } as const;
/** Price updates per generated market for (c): bz2 files of ~120, ~240 and ~360 KB. */
const MARKET_SIZES = [1500, 3000, 4500];

interface Dataset {
  label: string;
  texts: string[][];
  bytes: number;
  updates: number;
}

function dataset(label: string, texts: string[][]): Dataset {
  let bytes = 0;
  for (const lines of texts) for (const line of lines) bytes += Buffer.byteLength(line) + 1;
  const updates = texts.reduce((total, lines) => total + replayLines(lines).counts.updates, 0);
  return { label, texts, bytes, updates };
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
  const samples = realProSampleNames().map((name) => {
    const text = execFileSync('bzip2', ['-dc'], {
      input: readFileSync(path.join(REAL_PRO_SAMPLES, name.slice('PRO/'.length))),
      maxBuffer: 1 << 30,
    });
    return ndjsonLines(text.toString('utf8'));
  });
  if (samples.length === 0) return undefined;
  const sampleBytes = samples.reduce(
    (t, lines) => t + lines.reduce((b, l) => b + l.length + 1, 0),
    0,
  );
  const copies = Math.max(1, Math.round((megabytes * 1024 * 1024) / sampleBytes));
  const files = Array.from({ length: copies }, () => samples).flat();
  return dataset(`real PRO samples (${samples.length} files × ${copies})`, files);
}

/** The best of ROUNDS of each leg on this thread. */
function oneThreadTimes(data: Dataset): AllCoresTimes {
  const work = { files: lineBytes(data.texts), texts: data.texts };
  const best = { engine: Infinity, parse: Infinity, decode: Infinity };
  for (let round = 0; round < ROUNDS; round++) {
    for (const leg of LEGS) {
      best[leg] = Math.min(
        best[leg],
        secondsOf(() => PARSE_LEGS[leg](work)),
      );
    }
  }
  return best;
}

const figure = (value: number, digits = 0) =>
  value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function engineTable(data: Dataset, cores: number): Promise<void> {
  const one = oneThreadTimes(data);
  const all = await allCoresTimes(shareBySize(data.texts, cores), LEGS, ROUNDS);
  const mb = data.bytes / 1024 / 1024;
  console.log(
    `${data.label}: ${mb.toFixed(1)} MB, ${figure(data.updates)} updates (best of ${ROUNDS})`,
  );
  console.log(
    `  ${''.padEnd(26)} ${'one thread'.padStart(21)}  ${`${cores} threads, files split`.padStart(43)}`,
  );
  console.log(
    `  ${''.padEnd(26)} ${'MB/s'.padStart(7)} ${'updates/s'.padStart(13)}  ` +
      `${'MB/s'.padStart(7)} ${'updates/s'.padStart(11)} ${'per core'.padStart(11)} ${'× one'.padStart(10)}`,
  );
  for (const leg of LEGS) {
    const perCore = data.updates / all[leg] / cores;
    console.log(
      `  ${LEG_LABELS[leg].padEnd(26)} ${figure(mb / one[leg], 1).padStart(7)} ` +
        `${figure(data.updates / one[leg]).padStart(13)}  ${figure(mb / all[leg], 1).padStart(7)} ` +
        `${figure(data.updates / all[leg]).padStart(11)} ${figure(perCore).padStart(11)} ` +
        `${figure(one[leg] / all[leg], 2).padStart(10)}`,
    );
  }
  console.log(
    `  engine time ÷ JSON.parse time: ${figure(one.engine / one.parse, 2)} on one thread, ` +
      `${figure(all.engine / all.parse, 2)} on ${cores}  (< 1 is faster)`,
  );
  // Other work on the machine takes cores away: the floor's speed-up shows how many were free.
  console.log(
    `  JSON.parse on ${cores} threads ran ${figure(one.parse / all.parse, 2)}× one: ` +
      `about ${figure(Math.min(cores, one.parse / all.parse), 1)} of ${cores} cores were free`,
  );
}

async function decompressVsParseTable(folders: Bz2Folder[]): Promise<void> {
  console.log(
    `\n(b) decompress-only vs parse of the same bz2 files, as chimera runs them ` +
      `(median of ${ROUNDS}, ${availableParallelism()} cores)`,
  );
  console.log(
    `  ${'files'.padEnd(34)} ${'count'.padStart(6)} ${'bz2 MB'.padStart(7)} ` +
      `${'decompress'.padStart(11)} ${'parse runners'.padStart(14)} ${'parse ÷ decompress'.padStart(19)}`,
  );
  for (const folder of folders) {
    const { decompress, parse } = await parseVsDecompress(folder, ROUNDS);
    console.log(
      `  ${folder.label.padEnd(34)} ${String(folder.files).padStart(6)} ` +
        `${(folder.bytes / 1e6).toFixed(1).padStart(7)} ${`${decompress.toFixed(2)} s`.padStart(11)} ` +
        `${`${parse.toFixed(2)} s`.padStart(14)} ${(parse / decompress).toFixed(2).padStart(19)}`,
    );
  }
  console.log('  target: parse ÷ decompress ≤ 1.5');
}

/** One group of files for (c): what they are, and each file's object and sizes. */
interface FunctionGroup {
  label: string;
  files: (FunctionInput & { bz2: number; ndjson: number })[];
}

async function sized(store: ObjectStore, bucket: string, names: string[]) {
  return Promise.all(
    names.map(async (name) => {
      const { size } = await store.stat(bucket, name);
      let ndjson = 0;
      for await (const block of decodeBzip2(await store.read(bucket, name))) ndjson += block.length;
      return { bucket, name, bz2: size, ndjson };
    }),
  );
}

async function functionGroups(): Promise<FunctionGroup[]> {
  const { store } = cachedStore('function');
  const groups: FunctionGroup[] = [];
  for (const updates of MARKET_SIZES) {
    const bucket = `racing-${updates}`;
    await generatedBucket('function', bucket, {
      tier: 'PRO',
      days: 1,
      meetings: 1,
      racesPerMeeting: 4,
      updates,
      seed: 3,
    });
    const names: string[] = [];
    for await (const object of store.listAll(bucket)) names.push(object.name);
    groups.push({
      label: `generated racing, ${updates} updates`,
      files: await sized(store, bucket, names),
    });
  }
  if (!(await store.bucketExists('real'))) await store.createBucket('real');
  for (const name of await writeRealSamples(store, 'real')) {
    groups.push({
      label: `real ${path.basename(name)}`,
      files: await sized(store, 'real', [name]),
    });
  }
  return groups;
}

async function functionTable(): Promise<void> {
  const groups = await functionGroups();
  const inputs = groups.flatMap((group) => group.files);
  const types: SupportedProcessType[] = [
    'decompress_and_concatenate',
    'decompress_concatenate_parse',
  ];
  const seconds = await decompressFunctionSeconds(
    cachedStore('function').dataDir,
    inputs,
    types,
    ROUNDS,
  );
  const of = (type: SupportedProcessType, start: number, count: number): FileSeconds[] =>
    seconds.get(type)!.slice(start, start + count);
  console.log(
    `\n(c) decompress function, seconds per file as Pub/Sub invokes its handler, wired as ` +
      `deployed: one file at a time, bzip2 on 2 threads, local object store, Firestore ` +
      `emulator (median per file of ${ROUNDS}, then median of the group)`,
  );
  console.log(
    `  ${'files'.padEnd(34)} ${'n'.padStart(3)} ${'bz2 KB'.padStart(10)} ${'NDJSON MB'.padStart(10)} ` +
      `${'decompress'.padStart(11)} ${'parse runners'.padStart(14)} ${'÷'.padStart(5)} ` +
      `${'Firestore'.padStart(9)}`,
  );
  let start = 0;
  for (const group of groups) {
    const count = group.files.length;
    const kb = group.files.map((f) => f.bz2 / 1024);
    const range = `${Math.min(...kb).toFixed(0)}–${Math.max(...kb).toFixed(0)}`;
    const ndjson = median(group.files.map((f) => f.ndjson / 1e6));
    const decompress = median(of('decompress_and_concatenate', start, count).map((s) => s.handler));
    const parse = median(of('decompress_concatenate_parse', start, count).map((s) => s.handler));
    const firestore = median(
      of('decompress_concatenate_parse', start, count).map((s) => s.firestore),
    );
    console.log(
      `  ${group.label.padEnd(34)} ${String(count).padStart(3)} ${range.padStart(10)} ` +
        `${ndjson.toFixed(2).padStart(10)} ${`${decompress.toFixed(3)} s`.padStart(11)} ` +
        `${`${parse.toFixed(3)} s`.padStart(14)} ${(parse / decompress).toFixed(2).padStart(5)} ` +
        `${`${firestore.toFixed(3)} s`.padStart(9)}`,
    );
    start += count;
  }
  console.log('  Firestore: of the parse time, the calls of its Firestore ports (file status, …)');
}

async function main(): Promise<void> {
  const megabytes = Number(process.argv[2] ?? 40);
  const cores = availableParallelism();
  console.log(`(a) the stream engine, one thread and ${cores} (all cores)`);
  await engineTable(generatedPro(megabytes), cores);
  const real = realPro(megabytes);
  if (real === undefined) console.log(`real PRO samples: none in ${REAL_PRO_SAMPLES}, skipped`);
  else await engineTable(real, cores);
  console.log('  target: ≥ 300,000 updates/s per core');

  const generated = await generatedBucket('folders', 'generated', GENERATED_FOLDER);
  const folders = [
    await describeFolder('generated PRO racing', generated),
    await realProFolder(12),
  ].filter((folder) => folder !== undefined);
  await decompressVsParseTable(folders);
  await functionTable();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();

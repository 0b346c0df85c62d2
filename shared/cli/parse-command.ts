import { availableParallelism } from 'node:os';
import { archiveMembers } from '../engine/betfair-archive.js';
import { decodeBzip2 } from '../engine/bz2/decode-bzip2.js';
import { createBzip2WorkerPool } from '../engine/bz2/worker-pool.js';
import { OUTPUT_FORMATS, PRODUCT_NAMES, type ProductName } from '../engine/stream/products.js';
import { MAX_SNAPSHOT_DEPTH } from '../engine/stream/snapshots-table.js';
import {
  choiceOption,
  type Command,
  type CommandContext,
  integerOption,
  type OptionValues,
  parseOptions,
  println,
  stringOption,
  UsageError,
} from './command.js';
import { assertSourceExists, type LocatedFile, openFile, openLocation } from './locations.js';
import { joinMomentValue, momentsOption } from './moment-options.js';
import { count, createProgress, formatTable } from './output.js';
import { type ParseInput, type ParseReport, runParse } from './parse/run-parse.js';

const DEFAULT_MOMENTS = '-60s,off,close';

const USAGE = `Usage: chimera parse <src> <dst> [options]
  Replays every Betfair market file (.bz2) under <src> through the stream engine and writes
  one table per product into <dst>: <dst>/<product>.ndjson or .csv (one header), rows in
  path order (archive order for a .tar). <src> is a local folder, gs://bucket/prefix, or a
  .tar download as Betfair delivers it (local or gs://bucket/object.tar; event-level files
  in it are skipped); <dst> a local folder or gs://bucket/prefix. A file that cannot be read
  is listed and left out; the others go on. Column lists: README, "The chimera command".

  --products <list>   comma-separated: ${PRODUCT_NAMES.join(', ')} (default: all)
  --at <moments>      snapshot moments: ISO times, offsets from the scheduled off (-600s,
                      -60s, -1m, +30s), off, close (default ${DEFAULT_MOMENTS})
  --depth <n>         snapshot ladder levels per side, 1 to ${MAX_SNAPSHOT_DEPTH} (default 3)
  --bar <interval>    bar interval: 60s, 5m or seconds (default 60s)
  --format <f>        ${OUTPUT_FORMATS.join(' or ')} (default ndjson)
  --workers <n>       bzip2 decoding threads (default: cores)

Exit codes: 0 every file parsed, 1 some failed (listed), 2 bad command line.`;

/** `chimera parse <src> <dst>`: product tables from market files. */
export const parseCommand: Command = {
  name: 'parse',
  summary: 'replay market files into runners, markets, snapshots and bars tables',
  usage: USAGE,
  async run(argv, context) {
    const { values, positionals } = parseOptions(
      joinMomentValue(argv),
      {
        products: { type: 'string' },
        at: { type: 'string' },
        depth: { type: 'string' },
        bar: { type: 'string' },
        format: { type: 'string' },
        workers: { type: 'string' },
      },
      ['src', 'dst'],
    );
    const [src = '', dst = ''] = positionals;
    const products = productsOption(values);
    const options = {
      moments: momentsOption(stringOption(values, 'at') ?? DEFAULT_MOMENTS),
      depth: integerOption(values, 'depth', { min: 1, max: MAX_SNAPSHOT_DEPTH }, 3),
      barMs: barOption(stringOption(values, 'bar')),
    };
    const format = choiceOption(values, 'format', OUTPUT_FORMATS, 'ndjson');
    const workers = integerOption(values, 'workers', { min: 1, max: 256 }, availableParallelism());
    const source = await openInputs(src, context);
    const target = openLocation(dst, context.objectStore);
    const pool = createBzip2WorkerPool(workers);
    const progress = createProgress(context.io.stdout);
    const started = performance.now();
    let read = 0;
    let report: ParseReport;
    try {
      report = await runParse({
        inputs: source.inputs,
        target,
        products,
        format,
        options,
        decode: (bytes) => decodeBzip2(bytes, { workers: pool }),
        onProgress: (so, bytes) => {
          read += bytes;
          const failed = so.failures.length > 0 ? ` | ${so.failures.length} failed` : '';
          const detail = `files ${so.files} | ${count(so.markets)} markets${failed}`;
          progress.update(read, Math.max(read, source.bytes()), detail);
        },
      });
    } finally {
      progress.stop();
      await pool.close();
    }
    const seconds = (performance.now() - started) / 1000;
    return printReport(context, src, target.label, report, seconds);
  },
};

function printReport(
  context: CommandContext,
  src: string,
  dst: string,
  report: ParseReport,
  seconds: number,
): number {
  const { stdout, stderr } = context.io;
  if (report.files === 0) {
    println(stderr, `No market files (.bz2) under ${src}`);
    return 1;
  }
  const ok = report.files - report.failures.length;
  const rows = Object.entries(report.rows).map(([p, n]) => `${p} ${count(n)}`);
  println(
    stdout,
    `Parsed ${ok} of ${report.files} files (${count(report.markets)} markets, ` +
      `${count(report.updates)} updates, ${count(report.malformedLines)} malformed lines) ` +
      `in ${seconds.toFixed(1)} s into ${dst}: ${rows.join(', ')} rows`,
  );
  if (report.failures.length === 0) return 0;
  println(stdout, `\n${report.failures.length} file(s) failed:`);
  const table = report.failures.map((f) => [f.name, f.code, f.message]);
  println(stdout, formatTable(['FILE', 'CODE', 'ERROR'], table));
  return 1;
}

export function productsOption(values: OptionValues): ProductName[] {
  const text = stringOption(values, 'products');
  if (text === undefined) return [...PRODUCT_NAMES];
  const names = [...new Set(text.split(',').map((name) => name.trim()))].filter(Boolean);
  const allowed: readonly string[] = PRODUCT_NAMES;
  const unknown = names.filter((name) => !allowed.includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(`--products must list some of ${PRODUCT_NAMES.join(', ')}; got "${text}"`);
  }
  return names as ProductName[];
}

export function barOption(text: string | undefined): number {
  if (text === undefined) return 60_000;
  const match = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(text);
  const ms = match ? Math.round(Number(match[1]) * (match[2] === 'm' ? 60_000 : 1000)) : NaN;
  if (!(ms >= 1000 && ms <= 86_400_000)) {
    throw new UsageError(
      `--bar must be an interval from 1s to 24h such as 60s or 5m; got "${text}"`,
    );
  }
  return ms;
}

/** The inputs of a source, and its total compressed size so far known (for the bar). */
interface Inputs {
  inputs: AsyncIterable<ParseInput>;
  bytes(): number;
}

async function openInputs(spec: string, context: CommandContext): Promise<Inputs> {
  if (spec.endsWith('.tar')) return archiveInputs(spec, context);
  const location = openLocation(spec, context.objectStore);
  await assertSourceExists(location);
  const files: LocatedFile[] = [];
  for await (const file of location.list()) if (file.name.endsWith('.bz2')) files.push(file);
  const bucket = /^gs:\/\/([^/]+)\/?(.*)$/.exec(spec);
  const prefix = bucket ? (bucket[2] ?? '').replace(/^\/+|\/+$/g, '') : '';
  const objectName = (name: string) => (prefix ? `${prefix}/${name}` : name);
  const total = files.reduce((sum, file) => sum + file.size, 0);
  async function* inputs(): AsyncGenerator<ParseInput> {
    for (const file of files) {
      const generation = bucket
        ? await context
            .objectStore()
            .stat(bucket[1] ?? '', objectName(file.name))
            .then((info) => info.generation)
        : null;
      yield {
        name: file.name,
        size: file.size,
        sourceObject: bucket ? `gs://${bucket[1]}/${objectName(file.name)}` : file.name,
        sourceGeneration: generation,
        bytes: async () => (await location.read(file.name)) as AsyncIterable<Buffer>,
      };
    }
  }
  return { inputs: inputs(), bytes: () => total };
}

async function archiveInputs(spec: string, context: CommandContext): Promise<Inputs> {
  const { stream, size } = await openFile(spec, context.objectStore, 'archive');
  async function* inputs(): AsyncGenerator<ParseInput> {
    for await (const member of archiveMembers(stream)) {
      const { placement } = member;
      if (placement.kind === 'skipped' && placement.reason === 'event-level file') continue;
      if (
        !member.path.endsWith('.bz2') ||
        (placement.kind === 'skipped' && placement.reason === 'not a file')
      )
        continue;
      const name = placement.kind === 'market' ? placement.name : member.path;
      yield {
        name,
        size: member.size,
        sourceObject: name,
        sourceGeneration: null,
        bytes: () => Promise.resolve(member.body),
      };
    }
  }
  return { inputs: inputs(), bytes: () => size };
}

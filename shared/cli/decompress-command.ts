import { availableParallelism } from 'node:os';
import { decodeBzip2 } from '../engine/bz2/decode-bzip2.js';
import { createBzip2WorkerPool } from '../engine/bz2/worker-pool.js';
import type { PluginRegistry, SourcePlugin } from '../engine/plugins/plugins.js';
import { createSourcePlugins } from '../engine/plugins/source-plugins.js';
import { hasCode } from '../platform/errors.js';
import {
  type CliStream,
  println,
  type CliIo,
  type Command,
  type CommandContext,
  integerOption,
  parseOptions,
  stringOption,
  UsageError,
} from './command.js';
import { assertSourceExists, openLocation } from './locations.js';
import type { RunProgress } from './decompress/progress.js';
import {
  type DecompressReport,
  type DecompressRun,
  runDecompress,
} from './decompress/run-decompress.js';
import { megabytes, createProgress, count, formatTable } from './output.js';

/** A bar over the compressed megabytes read, with files done and failed beside it. */
export function decompressProgress(stream: CliStream) {
  const progress = createProgress(stream);
  return {
    update: (state: RunProgress): void => {
      const failed = state.filesFailed > 0 ? ` | ${state.filesFailed} failed` : '';
      const detail =
        `files ${state.filesDone}/${state.files} | ` +
        `${megabytes(state.bytesRead)} of ${megabytes(state.bytes)}${failed}`;
      progress.update(state.bytesRead, state.bytes, detail);
    },
    stop: () => progress.stop(),
  };
}

/** Prints what a decompress run did and returns its exit code (1 when any file failed). */
export function printDecompressReport(
  io: CliIo,
  run: DecompressRun,
  report: DecompressReport,
  seconds: number,
): number {
  const { progress, failures } = report;
  if (progress.files === 0) {
    const kinds = run.plugin.extensions.join(', ');
    println(io.stderr, `No ${run.plugin.id} files (${kinds}) under ${run.source.label}`);
    return 1;
  }
  const ok = progress.files - failures.length;
  const rate = seconds > 0 ? megabytes(progress.bytesRead / seconds) : megabytes(0);
  println(
    io.stdout,
    `Decompressed ${ok} of ${progress.files} files (${megabytes(progress.bytes)} in, ` +
      `${count(report.lines)} lines, ${count(report.quarantined)} quarantined) ` +
      `into ${run.target.label} in ${seconds.toFixed(1)} s (${rate}/s)`,
  );
  if (failures.length === 0) return 0;
  println(io.stdout, `\n${failures.length} file(s) failed:`);
  const rows = failures.map((f) => [f.name, f.code, f.message]);
  println(io.stdout, formatTable(['FILE', 'CODE', 'ERROR'], rows));
  return 1;
}

const USAGE = `Usage: chimera decompress <src> <dst> [options]
  Runs the decompression engine over every matching file under <src>, without the job
  machinery. <src> and <dst> are local folders or gs://bucket/prefix (STORAGE_EMULATOR_HOST
  is honoured). Outputs are written atomically; a failed file is reported and skipped.

  --plugin <id>     source plugin: betfair (.bz2, default), ndjson-gzip, ndjson
  --concat          write one <dst>/output.ndjson joining the files in path order
                    (default: one output per input, x.bz2 → x, mirroring paths as the
                    pipeline's decompress_only does)
  --gzip            gzip the output (x.gz, or output.ndjson.gz with --concat)
  --pass-invalid    keep lines that are not JSON in the output (default: they go to
                    <name>.quarantine.ndjson beside the output)
  --workers <n>     files decoded at once and bzip2 decoding threads (default: cores)

Exit codes: 0 every file decompressed, 1 some failed (listed), 2 bad command line.`;

/** `chimera decompress <src> <dst>`: the engine over a folder or bucket prefix. */
export const decompressCommand: Command = {
  name: 'decompress',
  summary: 'decompress every file under a folder or gs:// prefix into NDJSON',
  usage: USAGE,
  async run(argv, context) {
    const { values, positionals } = parseOptions(
      argv,
      {
        plugin: { type: 'string' },
        concat: { type: 'boolean' },
        gzip: { type: 'boolean' },
        'pass-invalid': { type: 'boolean' },
        workers: { type: 'string' },
      },
      ['src', 'dst'],
    );
    const workers = integerOption(values, 'workers', { min: 1, max: 256 }, availableParallelism());
    const pool = createBzip2WorkerPool(workers);
    try {
      const plugins = createSourcePlugins({
        // Single-block files decode inline: for 200 small files on 2 cores that took 0.5 s,
        // against 0.8 s when every block went through a worker round trip.
        decodeBz2: (source) => decodeBzip2(source, { workers: pool }),
      });
      const run: DecompressRun = {
        ...(await locations(positionals, context)),
        plugin: pluginById(plugins, stringOption(values, 'plugin') ?? 'betfair'),
        concat: values.concat === true,
        gzip: values.gzip === true,
        invalidLines: values['pass-invalid'] === true ? 'pass' : 'quarantine',
        concurrency: workers,
      };
      return await decompress(run, context);
    } finally {
      await pool.close();
    }
  },
};

async function decompress(run: DecompressRun, context: CommandContext): Promise<number> {
  const started = performance.now();
  const progress = decompressProgress(context.io.stdout);
  let report;
  try {
    report = await runDecompress({ ...run, onProgress: progress.update });
  } finally {
    progress.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  return printDecompressReport(context.io, run, report, seconds);
}

async function locations(positionals: string[], context: CommandContext) {
  const [src = '', dst = ''] = positionals;
  const source = openLocation(src, context.objectStore);
  await assertSourceExists(source);
  return { source, target: openLocation(dst, context.objectStore) };
}

function pluginById(plugins: PluginRegistry, id: string): SourcePlugin {
  try {
    return plugins.get(id);
  } catch (error) {
    if (hasCode(error, 'PLUGIN.NOT_FOUND')) throw new UsageError((error as Error).message);
    throw error;
  }
}

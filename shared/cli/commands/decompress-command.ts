import { availableParallelism } from 'node:os';
import { createBzip2WorkerPool, decodeBzip2 } from '../../bz2/index.js';
import { hasCode } from '../../errors/app-error.js';
import {
  createSourcePlugins,
  type PluginRegistry,
  type SourcePlugin,
} from '../../plugins/index.js';
import type { Command, CommandContext } from '../command.js';
import { assertSourceExists, openLocation } from '../decompress/open-location.js';
import { runDecompress, type DecompressRun } from '../decompress/run-decompress.js';
import { integerOption, parseOptions, stringOption } from '../parse-options.js';
import { UsageError } from '../usage-error.js';
import { printDecompressReport } from './decompress-report.js';
import { decompressProgress } from './decompress-progress.js';

const USAGE = `Usage: chimera decompress <src> <dst> [options]
  Runs the decompression engine over every matching file under <src>, without the job
  machinery. <src> and <dst> are local folders or gs://bucket/prefix (STORAGE_EMULATOR_HOST
  is honoured). Outputs are written atomically; a failed file is reported and skipped.

  --plugin <id>     source plugin: betfair (.bz2, default), ndjson-gzip, ndjson
  --concat          write one <dst>/output.ndjson joining the files in path order
                    (default: one output per input, x.bz2 → x.ndjson, mirroring paths)
  --gzip            gzip the output (.ndjson.gz)
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

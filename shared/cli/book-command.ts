import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { decodeBzip2 } from '../engine/bz2/decode-bzip2.js';
import { createSourcePlugins } from '../engine/plugins/source-plugins.js';
import { marketFileLines } from '../engine/stream/market-file.js';
import { replayLinesAsync } from '../engine/stream/replay.js';
import { SnapshotsCollector } from '../engine/stream/snapshots.js';
import type { SnapshotsRow } from '../engine/stream/snapshots-table.js';
import {
  type Command,
  type CommandContext,
  parseOptions,
  println,
  stringOption,
  UsageError,
} from './command.js';
import { formatTable } from './output.js';
import { joinMomentValue, momentsOption } from './moment-options.js';

const USAGE = `Usage: chimera book <file> --at <moment>
  Prints each market's book in <file> (a Betfair .bz2 market file, or its NDJSON, gzipped or
  not) as of the last update at or before <moment>: an ISO time, an offset from the scheduled
  off (-600s, -60s, -1m, +30s), off (the first in-play update) or close (the last OPEN book).
  <file> is local or gs://bucket/object.

Exit codes: 0 printed, 1 no book at that moment or the file could not be read, 2 bad command line.`;

/** `chimera book <file> --at <moment>`: one book as a table. */
export const bookCommand: Command = {
  name: 'book',
  summary: 'print the book of a market file at a moment (-60s, off, close, a time)',
  usage: USAGE,
  async run(argv, context) {
    const { values, positionals } = parseOptions(
      joinMomentValue(argv),
      { at: { type: 'string' } },
      ['file'],
    );
    const at = stringOption(values, 'at');
    if (at === undefined) throw new UsageError('--at <moment> is required');
    const [moment, ...more] = momentsOption(at);
    if (moment === undefined || more.length > 0) throw new UsageError('--at takes one moment');
    const [file = ''] = positionals;
    const collector = new SnapshotsCollector({ moments: [moment], depth: 1 });
    const bytes = await openFile(file, context);
    const plugins = createSourcePlugins({ decodeBz2: (source) => decodeBzip2(source) });
    await replayLinesAsync(marketFileLines(bytes, file, plugins), { observers: [collector] });
    const rows = collector.takeRows();
    if (rows.length === 0) {
      println(context.io.stderr, `No book at or before ${moment.label} in ${file}`);
      return 1;
    }
    for (const [index, market] of byMarket(rows).entries()) {
      if (index > 0) println(context.io.stdout);
      printBook(context, market);
    }
    return 0;
  },
};

function byMarket(rows: SnapshotsRow[]): SnapshotsRow[][] {
  const markets = new Map<string, SnapshotsRow[]>();
  for (const row of rows) {
    const list = markets.get(row.market_id) ?? [];
    list.push(row);
    markets.set(row.market_id, list);
  }
  return [...markets.values()];
}

function printBook(context: CommandContext, rows: SnapshotsRow[]): void {
  const [first] = rows;
  if (first === undefined) return;
  println(
    context.io.stdout,
    `Market ${first.market_id} at ${first.moment} (${first.moment_time}): book of ` +
      `${first.book_time}, ${first.market_status}${first.in_play ? ', in play' : ''}`,
  );
  const cell = (value: number | null | undefined) =>
    value === null || value === undefined ? '-' : String(value);
  const table = rows.map((row) => [
    String(row.selection_id),
    row.selection_name ?? '',
    row.runner_status,
    cell(row.back_1_price),
    cell(row.lay_1_price),
    cell(row.ltp),
    row.traded_volume.toFixed(2),
  ]);
  println(
    context.io.stdout,
    formatTable(['SELECTION', 'RUNNER', 'STATUS', 'BACK', 'LAY', 'LTP', 'TRADED'], table),
  );
}

async function openFile(spec: string, context: CommandContext): Promise<Readable> {
  const match = /^gs:\/\/([^/]+)\/(.+)$/.exec(spec);
  if (match) return context.objectStore().read(match[1] ?? '', match[2] ?? '');
  if (spec.startsWith('gs://')) throw new UsageError(`"${spec}" is not gs://bucket/object`);
  const info = await stat(spec).catch(() => undefined);
  if (!info?.isFile()) throw new UsageError(`"${spec}" is not a file`);
  return createReadStream(spec);
}

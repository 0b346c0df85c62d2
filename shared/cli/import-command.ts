import { type Readable, Transform } from 'node:stream';
import { archiveMembers, type MemberPlacement } from '../engine/betfair-archive.js';
import { type Command, type CommandContext, parseOptions, println } from './command.js';
import { type Location, openFile, openLocation } from './locations.js';
import { count, createProgress, formatTable, megabytes } from './output.js';

/** What an import did with each member of the archive. */
export interface ImportReport {
  imported: number;
  importedBytes: number;
  /** Market files already in the target with the same size: an earlier run wrote them. */
  alreadyThere: number;
  skipped: Map<Extract<MemberPlacement, { kind: 'skipped' }>['reason'], number>;
}

/**
 * Streams a Betfair download (`.tar`) into the historic layout under `target`, member by
 * member in bounded memory. Each market file is written once, atomically; a file already in
 * the target with the same size is left alone, so running the import again writes nothing.
 */
export async function importArchive(
  archive: Readable,
  target: Location,
  onProgress: (report: ImportReport) => void = () => {},
): Promise<ImportReport> {
  const existing = new Map<string, number>();
  for await (const file of target.list()) existing.set(file.name, file.size);
  const report: ImportReport = {
    imported: 0,
    importedBytes: 0,
    alreadyThere: 0,
    skipped: new Map(),
  };
  for await (const member of archiveMembers(archive)) {
    const { placement } = member;
    if (placement.kind === 'skipped') {
      report.skipped.set(placement.reason, (report.skipped.get(placement.reason) ?? 0) + 1);
    } else if (existing.get(placement.name) === member.size) {
      report.alreadyThere += 1;
    } else {
      report.importedBytes += await target.write(placement.name, member.body);
      report.imported += 1;
      existing.set(placement.name, member.size);
    }
    onProgress(report);
  }
  return report;
}

const USAGE = `Usage: chimera import <archive.tar> <dst>
  Imports a Betfair historical-data download as delivered (a .tar holding the
  TIER/YYYY/Mon/D/<eventId>/<marketId>.bz2 tree) into <dst>, keeping that layout, so a job
  or \`chimera decompress\` can read it. <archive.tar> is a local file or gs://bucket/object;
  <dst> a local folder or gs://bucket/prefix. The archive is streamed, never unpacked on disk;
  each market file is written once, atomically, and files already there are kept, so an
  interrupted import can simply be run again. Event-level files that repeat their markets'
  data, and anything outside the layout, are skipped and counted.

Exit codes: 0 imported, 1 the archive could not be read, 2 bad command line.`;

/** `chimera import <archive.tar> <dst>`. */
export const importCommand: Command = {
  name: 'import',
  summary: 'import a Betfair .tar download into the historic folder layout',
  usage: USAGE,
  async run(argv, context) {
    const { positionals } = parseOptions(argv, {}, ['archive', 'dst']);
    const [archiveSpec = '', dst = ''] = positionals;
    const { stream, size } = await openFile(archiveSpec, context.objectStore, 'archive');
    const target = openLocation(dst, context.objectStore);
    const started = performance.now();
    const progress = createProgress(context.io.stdout);
    let read = 0;
    const counted = stream.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          read += chunk.length;
          done(null, chunk);
        },
      }),
    );
    stream.on('error', (error) => counted.destroy(error));
    let report: ImportReport;
    try {
      report = await importArchive(counted, target, (so) =>
        progress.update(
          read,
          size,
          `${count(so.imported)} imported, ${count(so.alreadyThere)} already there`,
        ),
      );
    } finally {
      progress.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    printReport(context, archiveSpec, target, report, seconds);
    return 0;
  },
};

function printReport(
  context: CommandContext,
  archive: string,
  target: Location,
  report: ImportReport,
  seconds: number,
): void {
  const { stdout } = context.io;
  println(
    stdout,
    `Imported ${count(report.imported)} market files (${megabytes(report.importedBytes)}) ` +
      `from ${archive} into ${target.label} in ${seconds.toFixed(1)} s; ` +
      `${count(report.alreadyThere)} were already there.`,
  );
  if (report.skipped.size === 0) return;
  const rows = [...report.skipped].map(([reason, n]) => [reason, count(n)]);
  println(stdout, formatTable(['SKIPPED', 'MEMBERS'], rows));
}

import { println, type CliIo } from '../cli-io.js';
import type { DecompressReport, DecompressRun } from '../decompress/run-decompress.js';
import { count, megabytes } from '../output/format.js';
import { formatTable } from '../output/table.js';

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

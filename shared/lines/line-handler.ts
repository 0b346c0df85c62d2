import { jsonLineProblem } from './json-line.js';
import type { ResolvedLineOptions } from './line-options.js';
import type { LineHandler } from './line-splitter.js';
import type { LineStats } from './line-stats.js';
import type { OutputBatcher } from './output-batcher.js';

/**
 * Decides the fate of each split line — blank, invalid, dropped by the transform, or written —
 * and counts it in `stats`. Order: blank check, JSON validation, transform, output.
 */
export function createLineHandler(
  options: ResolvedLineOptions,
  stats: LineStats,
  batcher: OutputBatcher,
): LineHandler {
  const { validate, invalidLines, quarantine, transformLine } = options;
  return (line, lineNumber) => {
    if (line.length === 0) {
      stats.blank += 1;
      return;
    }
    stats.linesIn += 1;
    if (validate && !acceptJson(line, lineNumber)) return;
    const out = transformLine ? transformLine(line) : line;
    if (out === null) {
      stats.dropped += 1;
      return;
    }
    batcher.append(out);
    stats.linesOut += 1;
    stats.bytesOut += out.length + 1;
  };

  /** Counts an invalid line and says whether it still goes to the output. */
  function acceptJson(line: Buffer, lineNumber: number): boolean {
    const problem = jsonLineProblem(line);
    if (problem === undefined) return true;
    stats.invalid += 1;
    if (invalidLines === 'pass') return true;
    stats.quarantined += 1;
    quarantine?.add(lineNumber, line, problem);
    return false;
  }
}

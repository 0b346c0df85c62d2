import pLimit from 'p-limit';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DecodedFile, decodeFile, type DecodeFileTask } from '../../engine/decode-file.js';
import { gzipBytes } from '../../engine/gzip.js';
import type { InvalidLineMode } from '../../engine/lines/lines.js';
import type { SourcePlugin } from '../../engine/plugins/plugins.js';
import {
  CONCAT_BASE,
  mirroredOutput,
  quarantineOutput,
  stripExtension,
} from '../../pipeline/output-names.js';
import { toAppError } from '../../platform/errors.js';
import { ProgressTracker, type RunProgress } from '../decompress-command.js';
import { type Location, FolderLocation, type LocatedFile } from './locations.js';

/** A decoded file's part in the temp folder. */
export interface DecodedPart extends DecodedFile {
  /** The part's name without extension; parts sort in path order. */
  part: string;
}

/**
 * Joins `parts` (already in path order) into `output.ndjson[.gz]` in the target, and their
 * quarantined lines into `output.quarantine.ndjson` when there are any. Returns the names written.
 */
export async function concatParts(
  parts: Location,
  decoded: readonly DecodedPart[],
  target: Location,
  gzip: boolean,
): Promise<string[]> {
  const output = mirroredOutput(CONCAT_BASE, gzip);
  const joined = join(
    parts,
    decoded.map((d) => `${d.part}.ndjson`),
  );
  await target.write(output, gzip ? gzipBytes(joined) : joined);
  const quarantined = decoded.filter((d) => d.quarantined > 0);
  if (quarantined.length === 0) return [output];
  const quarantine = quarantineOutput(CONCAT_BASE);
  await target.write(
    quarantine,
    join(
      parts,
      quarantined.map((d) => `${d.part}.quarantine.ndjson`),
    ),
  );
  return [output, quarantine];
}

async function* join(location: Location, names: readonly string[]): AsyncGenerator<Buffer> {
  for (const name of names) {
    yield* (await location.read(name)) as AsyncIterable<Buffer>;
  }
}

/** What `chimera decompress` was asked to do. */
export interface DecompressRun {
  source: Location;
  target: Location;
  plugin: SourcePlugin;
  concat: boolean;
  gzip: boolean;
  invalidLines: InvalidLineMode;
  /** Files decoded at once. */
  concurrency: number;
  /** Called whenever a file finishes or compressed bytes were read. */
  onProgress?: (progress: RunProgress) => void;
}

/** A file that could not be decompressed, and why. */
export interface FileFailure {
  name: string;
  code: string;
  message: string;
}

/** The outcome of a run; `failures` are in path order. */
export interface DecompressReport {
  progress: RunProgress;
  lines: number;
  quarantined: number;
  failures: FileFailure[];
  /** Names written in the target, outputs first. */
  outputs: string[];
}

type Outcome = { ok: true; result: DecodedFile } | { ok: false; code: string; message: string };
type TaskOf = (file: LocatedFile, index: number) => DecodeFileTask;
type DecodeAll = (taskOf: TaskOf) => Promise<Outcome[]>;

/**
 * Decompresses every file of the plugin's kinds under the source, in path order, at most
 * `concurrency` at once: one output per input mirroring its path, or with `concat` one NDJSON
 * file joining every good input in path order. A failed file is reported and left out; the
 * others carry on.
 */
export async function runDecompress(run: DecompressRun): Promise<DecompressReport> {
  const files = await matchingFiles(run.source, run.plugin);
  const tracker = new ProgressTracker(files, run.onProgress);
  const settings = {
    plugin: run.plugin,
    invalidLines: run.invalidLines,
    onBytes: (bytes: number) => tracker.read(bytes),
  };
  const limit = pLimit(run.concurrency);
  const decodeAll: DecodeAll = (taskOf) =>
    Promise.all(
      files.map((file, i) =>
        limit(async () => {
          const outcome = await settle(() => decodeFile(taskOf(file, i), settings));
          tracker.fileDone(outcome.ok);
          return outcome;
        }),
      ),
    );
  const { outcomes, outputs } = await (run.concat ? concatenated : mirrored)(run, files, decodeAll);
  return summarise(files, outcomes, tracker.snapshot(), outputs);
}

async function mirrored(run: DecompressRun, files: LocatedFile[], decodeAll: DecodeAll) {
  const bases = files.map((file) => stripExtension(file.name, run.plugin.extensions));
  const outcomes = await decodeAll((file, i) => ({
    source: run.source,
    file,
    target: run.target,
    output: mirroredOutput(bases[i]!, run.gzip),
    quarantine: quarantineOutput(bases[i]!),
    gzip: run.gzip,
  }));
  const outputs = outcomes.flatMap((o, i) => (o.ok ? [mirroredOutput(bases[i]!, run.gzip)] : []));
  const quarantines = outcomes.flatMap((o, i) =>
    o.ok && o.result.quarantined > 0 ? [quarantineOutput(bases[i]!)] : [],
  );
  return { outcomes, outputs: [...outputs, ...quarantines] };
}

/** Decodes into numbered parts in a temp folder, then joins the good ones in path order. */
async function concatenated(run: DecompressRun, files: LocatedFile[], decodeAll: DecodeAll) {
  const tempDir = await mkdtemp(path.join(tmpdir(), 'chimera-concat-'));
  try {
    const parts = new FolderLocation(tempDir);
    const partName = (i: number) => String(i).padStart(8, '0');
    const outcomes = await decodeAll((file, i) => ({
      source: run.source,
      file,
      target: parts,
      output: `${partName(i)}.ndjson`,
      quarantine: `${partName(i)}.quarantine.ndjson`,
      gzip: false,
    }));
    const good = outcomes.flatMap((o, i) => (o.ok ? [{ part: partName(i), ...o.result }] : []));
    return { outcomes, outputs: await concatParts(parts, good, run.target, run.gzip) };
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

function summarise(
  files: LocatedFile[],
  outcomes: Outcome[],
  progress: RunProgress,
  outputs: string[],
): DecompressReport {
  const succeeded = outcomes.flatMap((o) => (o.ok ? [o.result] : []));
  return {
    progress,
    lines: succeeded.reduce((sum, r) => sum + r.lines, 0),
    quarantined: succeeded.reduce((sum, r) => sum + r.quarantined, 0),
    failures: outcomes.flatMap((o, i) =>
      o.ok ? [] : [{ name: files[i]!.name, code: o.code, message: o.message }],
    ),
    outputs,
  };
}

/** The source's files that the plugin reads, in path order. */
async function matchingFiles(source: Location, plugin: SourcePlugin): Promise<LocatedFile[]> {
  const files: LocatedFile[] = [];
  for await (const file of source.list()) {
    const lower = file.name.toLowerCase();
    if (plugin.extensions.some((ext) => lower.endsWith(ext))) files.push(file);
  }
  return files;
}

async function settle(decode: () => Promise<DecodedFile>): Promise<Outcome> {
  try {
    return { ok: true, result: await decode() };
  } catch (thrown) {
    const error = toAppError(thrown);
    return { ok: false, code: error.code, message: error.message };
  }
}

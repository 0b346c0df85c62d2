import pLimit from 'p-limit';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DecodedObject, decodeObject } from '../../engine/decode-object.js';
import { gzipBytes } from '../../engine/gzip.js';
import type { InvalidLinePolicy } from '../../engine/lines/lines.js';
import type { SourcePlugin } from '../../engine/plugins/plugins.js';
import type { OutputCompression } from '../../pipeline/job-model.js';
import {
  concatName,
  mirroredName,
  ndjsonName,
  quarantineBeside,
} from '../../pipeline/output-names.js';
import { toAppError } from '../../platform/errors.js';
import { type Location, FolderLocation, type LocatedFile } from '../locations.js';
import { ProgressTracker, type RunProgress } from './progress.js';

/**
 * Joins the decoded parts (already in path order) into `output.ndjson[.gz]` in the target, and
 * their quarantined lines into `output.quarantine.ndjson` when there are any. Returns the names
 * written.
 */
export async function concatParts(
  parts: Location,
  decoded: readonly DecodedObject[],
  target: Location,
  gzip: boolean,
): Promise<string[]> {
  const output = concatName(compressionOf(gzip));
  const joined = join(
    parts,
    decoded.map((d) => d.output),
  );
  await target.write(output, gzip ? gzipBytes(joined) : joined);
  const quarantines = decoded.flatMap((d) => (d.quarantine ? [d.quarantine] : []));
  if (quarantines.length === 0) return [output];
  const quarantine = quarantineBeside(output);
  await target.write(quarantine, join(parts, quarantines));
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
  invalidLines: InvalidLinePolicy;
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

/** Where one file's lines and invalid lines go. */
interface Destination {
  target: Location;
  output: string;
  quarantine: string;
  gzip: boolean;
}

type Outcome = { ok: true; result: DecodedObject } | { ok: false; code: string; message: string };
type DestinationOf = (file: LocatedFile, index: number) => Destination;
type DecodeAll = (destinationOf: DestinationOf) => Promise<Outcome[]>;

/**
 * Decompresses every file of the plugin's kinds under the source, in path order, at most
 * `concurrency` at once: one output per input mirroring its path, or with `concat` one NDJSON
 * file joining every good input in path order. A failed file is reported and left out; the
 * others carry on.
 */
export async function runDecompress(run: DecompressRun): Promise<DecompressReport> {
  const files = await matchingFiles(run.source, run.plugin);
  const tracker = new ProgressTracker(files, run.onProgress);
  const limit = pLimit(run.concurrency);
  const decodeAll: DecodeAll = (destinationOf) =>
    Promise.all(
      files.map((file, i) =>
        limit(async () => {
          const outcome = await settle(async () =>
            decodeObject({
              sourceName: file.name,
              input: await run.source.read(file.name),
              plugin: run.plugin,
              invalidLines: run.invalidLines,
              onBytes: (bytes) => tracker.read(bytes),
              ...destinationOf(file, i),
            }),
          );
          tracker.fileDone(outcome.ok);
          return outcome;
        }),
      ),
    );
  const { outcomes, outputs } = await (run.concat ? concatenated : mirrored)(run, decodeAll);
  return summarise(files, outcomes, tracker.snapshot(), outputs);
}

/** One output per input, named as the pipeline's decompress_only names it. */
async function mirrored(run: DecompressRun, decodeAll: DecodeAll) {
  const outcomes = await decodeAll((file) => {
    const output = mirroredName('', file.name, compressionOf(run.gzip));
    return { target: run.target, output, quarantine: quarantineBeside(output), gzip: run.gzip };
  });
  const good = outcomes.flatMap((o) => (o.ok ? [o.result] : []));
  const quarantines = good.flatMap((r) => (r.quarantine ? [r.quarantine] : []));
  return { outcomes, outputs: [...good.map((r) => r.output), ...quarantines] };
}

/** Decodes into numbered parts in a temp folder, then joins the good ones in path order. */
async function concatenated(run: DecompressRun, decodeAll: DecodeAll) {
  const tempDir = await mkdtemp(path.join(tmpdir(), 'chimera-concat-'));
  try {
    const parts = new FolderLocation(tempDir);
    const outcomes = await decodeAll((_file, i) => {
      const output = ndjsonName(String(i).padStart(8, '0'), 'none');
      return { target: parts, output, quarantine: quarantineBeside(output), gzip: false };
    });
    const good = outcomes.flatMap((o) => (o.ok ? [o.result] : []));
    return { outcomes, outputs: await concatParts(parts, good, run.target, run.gzip) };
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

function compressionOf(gzip: boolean): OutputCompression {
  return gzip ? 'gzip' : 'none';
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
    quarantined: succeeded.reduce((sum, r) => sum + r.quarantinedLines, 0),
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

async function settle(decode: () => Promise<DecodedObject>): Promise<Outcome> {
  try {
    return { ok: true, result: await decode() };
  } catch (thrown) {
    const error = toAppError(thrown);
    return { ok: false, code: error.code, message: error.message };
  }
}

import { Readable } from 'node:stream';
import type { LocatedFile, Location } from '../cli/decompress/locations.js';
import { gzipBytes } from './gzip.js';
import { QuarantineCollector, normalizeLines, type InvalidLineMode } from './lines/lines.js';
import type { SourcePlugin } from './plugins/plugins.js';

/** One source file and where its lines and invalid lines go. */
export interface DecodeFileTask {
  source: Location;
  file: LocatedFile;
  target: Location;
  output: string;
  quarantine: string;
  gzip: boolean;
}

/** How every file of a run is decoded. */
export interface DecodeSettings {
  plugin: SourcePlugin;
  invalidLines: InvalidLineMode;
  /** Called with each compressed chunk's size as it is read, for progress. */
  onBytes: (bytes: number) => void;
}

/** What one decoded file produced. */
export interface DecodedFile {
  lines: number;
  quarantined: number;
  bytesOut: number;
}

/**
 * Runs one file through the engine — the plugin's decoder, then the line rules — streaming into
 * `task.output`, and writes its invalid lines (with the source name) to `task.quarantine` when
 * there are any. A corrupt or truncated input rejects, and then nothing is written.
 */
export async function decodeFile(
  task: DecodeFileTask,
  settings: DecodeSettings,
): Promise<DecodedFile> {
  const { plugin } = settings;
  const input = counted(await task.source.read(task.file.name), settings.onBytes);
  const quarantine = new QuarantineCollector();
  const lines = normalizeLines(plugin.decoder(input), {
    invalidLines: settings.invalidLines,
    quarantine,
    transformLine: plugin.transformLine,
  });
  const body = task.gzip ? gzipBytes(lines.output) : Readable.from(lines.output);
  const bytesOut = await task.target.write(task.output, body);
  if (quarantine.count > 0) {
    const entries = quarantine.entries.map((e) => JSON.stringify({ source: task.file.name, ...e }));
    const text = entries.map((e) => `${e}\n`).join('');
    await task.target.write(task.quarantine, Readable.from([Buffer.from(text)]));
  }
  return { lines: lines.stats.linesOut, quarantined: quarantine.count, bytesOut };
}

async function* counted(
  source: AsyncIterable<Buffer>,
  onBytes: (bytes: number) => void,
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    onBytes(chunk.length);
    yield chunk;
  }
}

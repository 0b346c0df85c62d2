import path from 'node:path';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { bundleFunction } from './bundle.js';
import { zip } from './zip.js';

/** A function's source archive on disk, named by its content. */
export interface SourceArchive {
  /** Absolute path of the zip, which Terraform uploads. */
  path: string;
  /** Hex SHA-256 of the zip: part of the object name, so a change redeploys the function. */
  sha256: string;
}

/** Makes one function's source archive; the stack takes it as a parameter, so tests can fake it. */
export type ArchiveBuilder = (name: string) => Promise<SourceArchive>;

/** Bundles a function with esbuild and zips the bundle into `outDir/<name>.zip`. */
export function bundledArchives(root: string, outDir: string): ArchiveBuilder {
  return async (name) => {
    const bundle = await bundleFunction(root, name, path.join(outDir, 'build'));
    const entries = await Promise.all(
      bundle.files.map(async (file) => ({
        name: file,
        data: await readFile(path.join(bundle.dir, file)),
      })),
    );
    return writeArchive(path.join(outDir, 'archives', `${name}.zip`), zip(entries));
  };
}

/** Writes `bytes` to `file` and returns it as a source archive. */
export async function writeArchive(file: string, bytes: Buffer): Promise<SourceArchive> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
  return { path: path.resolve(file), sha256: createHash('sha256').update(bytes).digest('hex') };
}

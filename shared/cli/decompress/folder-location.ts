import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { writeTempFile } from '../../storage/local-atomic-write.js';
import { walkNames } from '../../storage/local-walk.js';
import type { Bytes, LocatedFile, Location } from './location.js';

/** Temp files start with this, so a listing never picks up a half-written output. */
const TEMP_MARK = '.chimera-tmp-';

/**
 * A local folder. Writes go to a temp file in the target's own folder and are renamed into
 * place, so a crash or a failed file never leaves a partial output under the real name.
 */
export class FolderLocation implements Location {
  readonly label: string;
  private readonly root: string;

  constructor(folder: string) {
    this.root = resolve(folder);
    this.label = folder;
  }

  async *list(): AsyncIterable<LocatedFile> {
    for await (const name of walkNames(this.root, { prefix: '' })) {
      if (basename(name).startsWith(TEMP_MARK)) continue;
      yield { name, size: (await stat(this.path(name))).size };
    }
  }

  async read(name: string): Promise<Readable> {
    const handle = await open(this.path(name), 'r');
    return handle.createReadStream();
  }

  async write(name: string, source: Bytes): Promise<number> {
    const target = this.path(name);
    const temp = join(dirname(target), `${TEMP_MARK}${randomBytes(6).toString('hex')}`);
    await writeTempFile(temp, source);
    try {
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return (await stat(target)).size;
  }

  /** Whether the folder exists (a source must; a destination is created as needed). */
  async exists(): Promise<boolean> {
    return stat(this.root).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
  }

  private path(name: string): string {
    return join(this.root, ...name.split('/'));
  }
}

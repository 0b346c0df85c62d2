import { mkdir, open, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { errnoCode, isMissing } from '../platform/files.js';
import { NEW_JOB_ID } from '../pipeline/job-model.js';

// What a start-up does about the previous run of the same data folder: one runtime at a time,
// and nothing a crashed run was in the middle of writing is left behind.

/** The folder a job's parts live in, under its output prefix: `<prefix>/_parts/<jobId>/`. */
const PARTS_FOLDER = '_parts';

/**
 * Takes `<dataDir>/run/lock` for this process: another live runtime on the same data folder is
 * refused with a message saying which; a lock left by a process that no longer runs is taken
 * over. Returns the release.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.resolve(dataDir, 'run', 'lock');
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `Another CHIMERA runtime (process ${holder}) is using ${path.resolve(dataDir)}; ` +
            'stop it first, or give this one another CHIMERA_DATA_DIR',
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}

/** Whether a process with this id runs (signal 0 checks without sending anything). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

/**
 * Removes the local store's temp files (`<pid>-<random>.part`, see LocalLayout) whose writer no
 * longer runs: writes a crash interrupted. Returns how many.
 */
export async function removeDeadTempFiles(tempDir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(tempDir);
  } catch (error) {
    if (isMissing(error)) return 0;
    throw error;
  }
  let removed = 0;
  for (const name of names) {
    const pid = /^(\d+)-[0-9a-f]+\.part$/.exec(name)?.[1];
    // A name without a pid comes from a version that did not record one: nobody writes it now.
    if (pid !== undefined && isAlive(Number(pid))) continue;
    await rm(path.join(tempDir, name), { force: true });
    removed++;
  }
  return removed;
}

/**
 * Removes every job's parts folder (`…/_parts/<jobId>/` in any bucket) unless `isRunning` says
 * its job still runs: parts of finished jobs a crash kept from being cleaned, and of jobs that no
 * longer exist. Asked per folder, so a job submitted meanwhile keeps its parts. Only folders
 * named like a job id are touched. Returns the folders removed, relative to `bucketsDir`.
 */
export async function removeOrphanParts(
  bucketsDir: string,
  isRunning: (jobId: string) => Promise<boolean>,
): Promise<string[]> {
  const removed: string[] = [];
  for await (const partsDir of partsFolders(bucketsDir)) {
    for (const entry of await readdir(partsDir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !NEW_JOB_ID.test(entry.name)) continue;
      if (await isRunning(entry.name)) continue;
      const folder = path.join(partsDir, entry.name);
      await rm(folder, { recursive: true, force: true });
      removed.push(path.relative(bucketsDir, folder));
    }
    await rmdir(partsDir).catch(() => undefined); // only if now empty
  }
  return removed;
}

/** Every `_parts` folder under the buckets, found by walking folders only (never links). */
async function* partsFolders(dir: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const child = path.join(dir, entry.name);
    if (entry.name === PARTS_FOLDER) yield child;
    else yield* partsFolders(child);
  }
}

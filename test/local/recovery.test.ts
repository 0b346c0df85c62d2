import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  lockDataDir,
  removeDeadTempFiles,
  removeOrphanParts,
} from '../../shared/local/recovery.js';
import { walkNames } from '../../shared/platform/files.js';

/** The id of a process that has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
    .stdout.toString()
    .trim() as unknown as number;
}

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'chimera-recovery-'));
}

describe('one runtime per data folder', () => {
  it('refuses a second runtime while the first runs, naming its process', async () => {
    const dataDir = await tempDir();
    await mkdir(path.join(dataDir, 'run'));
    await writeFile(path.join(dataDir, 'run', 'lock'), `${process.ppid}\n`);
    await expect(lockDataDir(dataDir)).rejects.toThrow(
      new RegExp(`Another CHIMERA runtime \\(process ${process.ppid}\\)`),
    );
  });

  it('takes over the lock of a process that died, and releases it', async () => {
    const dataDir = await tempDir();
    await mkdir(path.join(dataDir, 'run'));
    await writeFile(path.join(dataDir, 'run', 'lock'), `${deadPid()}\n`);
    const release = await lockDataDir(dataDir);
    await expect(lockDataDir(dataDir)).resolves.toBeTypeOf('function'); // its own process
    await release();
    expect(await readdir(path.join(dataDir, 'run'))).toEqual([]);
  });
});

describe('leftovers of an interrupted run', () => {
  it('removes temp files whose writer is gone, and keeps a live writer’s', async () => {
    const dir = await tempDir();
    const live = `${process.pid}-00aa.part`;
    await writeFile(path.join(dir, live), 'writing');
    await writeFile(path.join(dir, `${deadPid()}-11bb.part`), 'half');
    await writeFile(path.join(dir, '22cc33dd.part'), 'from before pids were recorded');
    expect(await removeDeadTempFiles(dir)).toBe(2);
    expect(await readdir(dir)).toEqual([live]);
  });

  it('removes the parts of jobs that no longer run, and nothing else', async () => {
    const buckets = await tempDir();
    const files = [
      'results/out/_parts/2026-01-02-0000aaaa/00000001.ndjson',
      'results/out/_parts/2026-01-02-0000bbbb/runners/00000001.csv',
      'results/_parts/2026-01-03-0000cccc/00000000.ndjson',
      'results/out/_parts/not-a-job/keep.txt',
      'results/out/output/output-00000-of-00001.ndjson',
    ];
    for (const name of files) {
      await mkdir(path.dirname(path.join(buckets, name)), { recursive: true });
      await writeFile(path.join(buckets, name), 'x');
    }
    const running = new Set(['2026-01-02-0000bbbb']);
    const removed = await removeOrphanParts(buckets, (jobId) =>
      Promise.resolve(running.has(jobId)),
    );
    expect(removed.sort()).toEqual([
      path.join('results', '_parts', '2026-01-03-0000cccc'),
      path.join('results', 'out', '_parts', '2026-01-02-0000aaaa'),
    ]);
    const left: string[] = [];
    for await (const name of walkNames(buckets, { prefix: '' })) left.push(name);
    expect(left.sort()).toEqual([files[1], files[3], files[4]].sort());
  });
});

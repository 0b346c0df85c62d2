import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generateSampleData } from '../../shared/local/generator/generate.js';
import { startPipeline, type PipelineHarness } from '../support/pipeline-harness.js';

/**
 * A whole local job against the shell baseline, in one run:
 *  - CHIMERA: submit over HTTP → workflow → Pub/Sub fan-out → decompress → trigger → shards,
 *    for N small generated Betfair files (default 1000), with the CPU time the runtime's process
 *    and each function host spent meanwhile;
 *  - baseline: a serial `for f in files; do bzip2 -dc f; done > out` over the same files, the
 *    way one would concatenate them by hand (same bytes, no validation or status).
 * Prints both wall times and the ratio. Run: npx tsx test/bench/job.bench.ts [files]
 */

const SOURCE = 'bench-historic';

/** The loop as one would type it in a shell; bash forks from a small process, as a user's shell does. */
async function serialBzip2(files: string[], out: string): Promise<number> {
  const started = performance.now();
  const loop = 'for f in "$@"; do bzip2 -dc "$f" || exit 1; done > "$0"';
  const child = spawn('bash', ['-c', loop, out, ...files], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [code] = (await once(child, 'close')) as [number];
  if (code !== 0) throw new Error(`the bzip2 -dc loop exited with ${code}`);
  return (performance.now() - started) / 1000;
}

/** CPU seconds (user + system) a process has used, from /proc; undefined where there is none. */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds of the runtime's own process (emulator, journal, trigger, bus, workflows) and of
 * each function host, by the functions it serves. On a shared machine the wall times swing
 * with the neighbours' load, these much less.
 */
function cpuByProcess(harness: PipelineHarness): Map<string, number | undefined> {
  const byProcess = new Map([['runtime', cpuSecondsOf(process.pid)]]);
  for (const { functions, host } of harness.runtime.hosts) {
    const name = functions.length === 1 ? functions[0]! : `${functions.length} other functions`;
    byProcess.set(name, cpuSecondsOf(host.pid));
  }
  return byProcess;
}

export async function main(count = 1000): Promise<void> {
  const harness = await startPipeline({ JOB_POLL_SECONDS: '1', CHIMERA_SAMPLE_JOB: 'false' });
  try {
    const manifest = await generateSampleData(harness.store, SOURCE, {
      mode: 'high-volume',
      files: count,
      seed: 9,
    });
    const bucketDir = path.join(harness.runtime.bucketsDir, SOURCE);
    const files = manifest.files.map((f) => path.join(bucketDir, f.objectName)).sort();
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'chimera-job-bench-'));
    const baseline = await serialBzip2(files, path.join(scratch, 'serial.ndjson'));

    const cpuBefore = cpuByProcess(harness);
    const started = performance.now();
    const submit = await harness.post<{ jobId: string }>('/api/pipeline/submit', {
      sourceBucket: SOURCE,
      sourceDataset: 'PRO/2022',
      selectedPaths: [''],
      targetBucket: 'bench-results',
      createNewBucket: true,
      outputShards: 10,
    });
    const status = await harness.waitForJob(submit.body.jobId, 30 * 60_000);
    const chimera = (performance.now() - started) / 1000;
    const cpuAfter = cpuByProcess(harness);

    console.log(`job over ${files.length} small files (${os.availableParallelism()} cores)`);
    console.log(`  serial bzip2 -dc loop   ${baseline.toFixed(2)} s`);
    console.log(
      `  CHIMERA local job       ${chimera.toFixed(2)} s  (status ${String(status.status)}, ${String(status.recordsProcessed)} records)`,
    );
    const spent = [...cpuAfter].map(([name, after]) => {
      const before = cpuBefore.get(name);
      return after === undefined || before === undefined
        ? `${name} ?`
        : `${name} ${(after - before).toFixed(1)} s`;
    });
    console.log(`  CPU during the job      ${spent.join(', ')}`);
    console.log(`  ratio (baseline / job)  ${(baseline / chimera).toFixed(2)}×`);
  } finally {
    await harness.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main(Number(process.argv[2] ?? 1000));
}

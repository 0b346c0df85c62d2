import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generateSampleData } from '../../shared/local/generator/generate.js';
import { loadConfig } from '../../shared/platform/config.js';
import { startPipeline, type PipelineHarness } from '../support/pipeline-harness.js';
import { median } from './median.js';

/**
 * A whole local job against the shell baseline, in one run:
 *  - CHIMERA: submit over HTTP → workflow → Pub/Sub fan-out → decompress → trigger → shards,
 *    for N small generated Betfair files (default 1000), with the CPU time the runtime's process
 *    and each function host spent meanwhile;
 *  - baseline: a serial `for f in files; do bzip2 -dc f; done > out` over the same files, the
 *    way one would concatenate them by hand (same bytes, no validation or status).
 * The two alternate for a few rounds (default 3) on one running runtime, as a user's runtime
 * serves job after job; the first job is also the runtime's first (its clients connect, its
 * code compiles). Prints each round and the medians, since a shared machine's neighbours move
 * single runs by tens of percent. Run: npx tsx test/bench/job.bench.ts [files] [rounds]
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

/** Lines in a file: every job must write as many records as the loop wrote lines. */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
  }
  return lines;
}

/** One job over the generated files, its wall time and the CPU each process spent on it. */
async function timedJob(harness: PipelineHarness, round: number) {
  const cpuBefore = cpuByProcess(harness);
  const started = performance.now();
  const submit = await harness.post<{ jobId: string }>('/api/pipeline/submit', {
    sourceBucket: SOURCE,
    sourceDataset: 'PRO/2022',
    selectedPaths: [''],
    targetBucket: 'bench-results',
    createNewBucket: true,
    outputPrefix: `round-${round}`,
    outputShards: 10,
  });
  const status = await harness.waitForJob(submit.body.jobId, 30 * 60_000);
  const seconds = (performance.now() - started) / 1000;
  if (status.status !== 'completed') {
    throw new Error(`the bench job ended ${String(status.status)}: ${String(status.errorMessage)}`);
  }
  const cpuAfter = cpuByProcess(harness);
  const spent = [...cpuAfter].map(([name, after]) => {
    const before = cpuBefore.get(name);
    return after === undefined || before === undefined
      ? `${name} ?`
      : `${name} ${(after - before).toFixed(1)}`;
  });
  return { seconds, records: Number(status.recordsProcessed), cpu: spent.join(', ') };
}

export async function main(count = 1000, rounds = 3): Promise<void> {
  // The workflow polls as `npm start`'s does; the sample job would run beside the bench's.
  const harness = await startPipeline({
    JOB_POLL_SECONDS: String(loadConfig({}).jobs.pollSeconds),
    CHIMERA_SAMPLE_JOB: 'false',
  });
  try {
    const manifest = await generateSampleData(harness.store, SOURCE, {
      mode: 'high-volume',
      files: count,
      seed: 9,
    });
    const bucketDir = path.join(harness.runtime.bucketsDir, SOURCE);
    const files = manifest.files.map((f) => path.join(bucketDir, f.objectName)).sort();
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'chimera-job-bench-'));

    console.log(
      `job over ${files.length} small files, ${rounds} rounds (${os.availableParallelism()} cores)`,
    );
    console.log('  round  bzip2 -dc loop  CHIMERA job  ratio  CPU s during the job');
    const loops: number[] = [];
    const jobs: number[] = [];
    const ratios: number[] = [];
    const serial = path.join(scratch, 'serial.ndjson');
    for (let round = 1; round <= rounds; round++) {
      const loop = await serialBzip2(files, serial);
      const job = await timedJob(harness, round);
      const lines = await countLines(serial);
      if (job.records !== lines) {
        throw new Error(`round ${round}: the job wrote ${job.records} records, the loop ${lines}`);
      }
      loops.push(loop);
      jobs.push(job.seconds);
      ratios.push(loop / job.seconds);
      console.log(
        `  ${String(round).padStart(5)}  ${loop.toFixed(2).padStart(12)} s  ${job.seconds.toFixed(2).padStart(9)} s  ${(loop / job.seconds).toFixed(2)}×  ${job.cpu}${round === 1 ? '  (the runtime’s first job)' : ''}`,
      );
    }
    console.log(
      `  median ${median(loops).toFixed(2).padStart(11)} s  ${median(jobs).toFixed(2).padStart(9)} s  ${median(ratios).toFixed(2)}×  (median of the rounds’ ratios, baseline / job)`,
    );
  } finally {
    await harness.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main(Number(process.argv[2] ?? 1000), Number(process.argv[3] ?? 3));
}

import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { startFirestoreEmulator } from '../../shared/local/firestore-emulator.js';
import { createFirestore } from '../../shared/platform/platform.js';

/**
 * The cost of the embedded emulator's journal: single-document sets through the real
 * @google-cloud/firestore client, `commits` of them at concurrency 1 and at 32, against the
 * emulator in memory and against it with a data folder (each commit answered after fdatasync,
 * commits in flight together sharing one). Reports commits/s, p50 and p99 commit latency, the
 * syncs the journal made, and the journaled/in-memory ratios, all from the same run.
 * Run: npx tsx test/bench/firestore-journal.bench.ts [commits]   (default 2000)
 */

const PROJECT = 'chimera-bench';
const CONCURRENCIES = [1, 32];
const WARMUP_COMMITS = 100;

interface Run {
  commitsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  syncs?: number;
}

async function measure(commits: number, concurrency: number, dataDir?: string): Promise<Run> {
  const emulator = await startFirestoreEmulator({ dataDir });
  const db = createFirestore({ projectId: PROJECT, firestoreEmulatorHost: emulator.host });
  try {
    await setMany(db, WARMUP_COMMITS, concurrency, 'warmup');
    const syncsBefore = emulator.journal?.stats().syncs;
    const started = performance.now();
    const latencies = await setMany(db, commits, concurrency, 'bench');
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const syncsAfter = emulator.journal?.stats().syncs;
    return {
      commitsPerSecond: Math.round(commits / seconds),
      p50Ms: round(latencies[Math.floor(latencies.length * 0.5)]!),
      p99Ms: round(latencies[Math.floor(latencies.length * 0.99)]!),
      syncs:
        syncsBefore === undefined || syncsAfter === undefined
          ? undefined
          : syncsAfter - syncsBefore,
    };
  } finally {
    await db.terminate();
    await emulator.stop();
  }
}

/** `count` sets of one small document each, `concurrency` in flight; each one's latency in ms. */
async function setMany(
  db: ReturnType<typeof createFirestore>,
  count: number,
  concurrency: number,
  collection: string,
): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const started = performance.now();
      await db.doc(`${collection}/d${n}`).set({ n, state: 'pending', lines: 0 });
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies;
}

async function main(commits: number): Promise<void> {
  const report: Record<string, Record<string, number | string>> = {};
  for (const concurrency of CONCURRENCIES) {
    const memory = await measure(commits, concurrency);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chimera-journal-bench-'));
    const journal = await measure(commits, concurrency, dataDir).finally(() =>
      rm(dataDir, { recursive: true, force: true }),
    );
    report[`concurrency ${concurrency}`] = {
      'memory commits/s': memory.commitsPerSecond,
      'journal commits/s': journal.commitsPerSecond,
      'throughput ratio': round(journal.commitsPerSecond / memory.commitsPerSecond),
      'memory p50 ms': memory.p50Ms,
      'journal p50 ms': journal.p50Ms,
      'p50 ratio': round(journal.p50Ms / memory.p50Ms),
      'memory p99 ms': memory.p99Ms,
      'journal p99 ms': journal.p99Ms,
      'commits per sync': round(commits / (journal.syncs ?? commits)),
    };
  }
  console.log(`${commits} single-document sets a run, data folder under ${os.tmpdir()}`);
  console.table(report);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(Number(process.argv[2] ?? 2000));
}

import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ParseLeg } from './parse-work.js';

/**
 * The parse bench's all-cores leg: one worker thread per core, the market files split between
 * them by size, every worker running the same leg at once. The time of a round is from sending
 * the leg to the last worker's answer, so a core that got more work counts in full.
 */

/** Seconds of the best round of each leg, over all workers at once. */
export type AllCoresTimes = Record<ParseLeg, number>;

/** Splits files between `cores` shares of about equal bytes (largest file first, to the lightest). */
export function shareBySize(texts: readonly string[][], cores: number): string[][][] {
  const shares = Array.from({ length: cores }, () => ({ bytes: 0, texts: [] as string[][] }));
  const sized = texts.map((lines) => ({
    lines,
    bytes: lines.reduce((total, line) => total + line.length + 1, 0),
  }));
  for (const file of sized.sort((a, b) => b.bytes - a.bytes)) {
    const lightest = shares.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    lightest.texts.push(file.lines);
    lightest.bytes += file.bytes;
  }
  return shares.map((share) => share.texts);
}

/** Runs each leg `rounds` times on every share at once; the best round of each. */
export async function allCoresTimes(
  shares: readonly string[][][],
  legs: readonly ParseLeg[],
  rounds: number,
): Promise<AllCoresTimes> {
  const entry = await workerEntry();
  const workers = shares.map((texts) => new Worker(entry, { workerData: { texts }, execArgv: [] }));
  try {
    await Promise.all(workers.map((worker) => answer(worker)));
    const best = { engine: Infinity, parse: Infinity, decode: Infinity };
    for (let round = 0; round < rounds; round++) {
      for (const leg of legs) {
        const started = process.hrtime.bigint();
        await Promise.all(
          workers.map((worker) => {
            const answered = answer(worker);
            worker.postMessage(leg);
            return answered;
          }),
        );
        best[leg] = Math.min(best[leg], Number(process.hrtime.bigint() - started) / 1e9);
      }
    }
    return best;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** The worker's next message, or its error. */
function answer(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      worker.off('error', onError);
      resolve(message);
    };
    const onError = (error: Error) => {
      worker.off('message', onMessage);
      reject(error);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
  });
}

/**
 * The worker's module bundled to one plain script: Node 20 ignores the tsx loader in a
 * worker's execArgv (the bzip2 worker pool bundles its worker the same way).
 */
async function workerEntry(): Promise<URL> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./parse-core-worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  return new URL(`data:text/javascript,${encodeURIComponent(result.outputFiles[0]!.text)}`);
}

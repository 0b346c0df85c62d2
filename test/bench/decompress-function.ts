import { useLocalAdapters } from '../../shared/local/adapters/platform.js';
import {
  type DecompressDeps,
  type DecompressMessageInput,
  decompressDeps,
  decompressHandler,
} from '../../shared/pipeline/decompress.js';
import type { SupportedProcessType } from '../../shared/pipeline/job-model.js';
import { parseJobOptions } from '../../shared/pipeline/parse-options.js';
import type { FileStatusStore } from '../../shared/pipeline/stores.js';
import { loadConfig } from '../../shared/platform/config.js';
import { createPlatform } from '../../shared/platform/platform.js';
import type { ObjectStore } from '../../shared/platform/ports/object-store.js';
import { startFirestoreEmulator } from '../../shared/local/firestore-emulator.js';
import { median } from './median.js';

/**
 * Seconds per file of the decompress function as Pub/Sub invokes it: its CloudEvent handler,
 * wired as the deployed function wires it (decompressDeps) on the local adapters, with a
 * one-file work order, one file at a time (the function's concurrency is 1), bzip2 decoding on
 * two threads (BZ2_WORKERS of its 2 vCPU), objects in the local store of `dataDir`, and
 * Firestore in the embedded emulator on this machine. Each file is handled once per round
 * under a new job id, so no attempt finds its file already done; a round's outputs are deleted
 * after it, untimed.
 */

/** A source object to time. */
export interface FunctionInput {
  bucket: string;
  name: string;
}

/** One file's median over the rounds: the handler's seconds, and of them Firestore's. */
export interface FileSeconds {
  handler: number;
  firestore: number;
}

/** What parse jobs make in this bench: the runners table alone. */
const PARSE = parseJobOptions({ products: ['runners'] });
const TARGET = 'bench-function-target';

/** For each process type, each input's median seconds, in input order. */
export async function decompressFunctionSeconds(
  dataDir: string,
  inputs: readonly FunctionInput[],
  processTypes: readonly SupportedProcessType[],
  rounds: number,
): Promise<Map<SupportedProcessType, FileSeconds[]>> {
  const emulator = await startFirestoreEmulator();
  useLocalAdapters();
  const env = {
    CHIMERA_DATA_DIR: dataDir,
    FIRESTORE_EMULATOR_HOST: emulator.host,
    BZ2_WORKERS: '2',
    LOG_LEVEL: 'WARNING',
  };
  const platform = createPlatform(loadConfig(env), 'decompress');
  const spent = { seconds: 0 };
  const deps = timedFirestorePorts(decompressDeps(platform), spent);
  const handle = decompressHandler(deps);
  const store = platform.objectStore;
  if (!(await store.bucketExists(TARGET))) await store.createBucket(TARGET);
  const results = new Map<SupportedProcessType, FileSeconds[]>();
  try {
    for (const processType of processTypes) {
      const handler = inputs.map((): number[] => []);
      const firestore = inputs.map((): number[] => []);
      for (let round = 0; round < rounds; round++) {
        const jobId = `bench-${processType.replaceAll('_', '-')}-${round}`;
        for (const [index, input] of inputs.entries()) {
          const message = await messageFor(store, input, jobId, index, processType);
          spent.seconds = 0;
          const started = performance.now();
          await handle({ id: `${jobId}-${index}`, data: pubsubEnvelope(message) });
          handler[index]!.push((performance.now() - started) / 1000);
          firestore[index]!.push(spent.seconds);
        }
        await expectAllSucceeded(deps.statusStore, jobId, inputs.length);
        await deleteOutputs(store, jobId);
      }
      results.set(
        processType,
        inputs.map((_, index) => ({
          handler: median(handler[index]!),
          firestore: median(firestore[index]!),
        })),
      );
    }
  } finally {
    await platform.firestore.terminate();
    await emulator.stop();
  }
  return results;
}

async function messageFor(
  store: ObjectStore,
  input: FunctionInput,
  jobId: string,
  index: number,
  processType: SupportedProcessType,
): Promise<DecompressMessageInput> {
  const { generation } = await store.stat(input.bucket, input.name);
  return {
    jobId,
    files: [{ index, source: { bucket: input.bucket, name: input.name, generation } }],
    target: { bucket: TARGET, prefix: jobId },
    plugin: 'betfair',
    processType,
    ...(processType === 'decompress_concatenate_parse' ? { parse: PARSE } : {}),
  };
}

/** The `messagePublished` CloudEvent data a push subscription delivers for `message`. */
function pubsubEnvelope(message: DecompressMessageInput): unknown {
  const data = Buffer.from(JSON.stringify(message)).toString('base64');
  return { message: { data, messageId: `${message.jobId}-${message.files[0]!.index}` } };
}

async function expectAllSucceeded(store: FileStatusStore, jobId: string, files: number) {
  const { terminal } = await store.standing(jobId);
  const failed: string[] = [];
  for await (const file of store.list(jobId, 'failed')) failed.push(file.source.name);
  if (terminal !== files || failed.length > 0) {
    throw new Error(
      `job ${jobId}: ${terminal} of ${files} files ended; failed: ${failed.join(', ')}`,
    );
  }
}

async function deleteOutputs(store: ObjectStore, jobId: string): Promise<void> {
  for await (const object of store.listAll(TARGET, { prefix: `${jobId}/` })) {
    await store.delete(TARGET, object.name);
  }
}

/** The dependencies that talk to Firestore, whatever else the function wires beside them. */
const FIRESTORE_PORTS = new Set(['statusStore', 'jobStore']);

/** `deps` with every call of its Firestore ports adding its seconds to `spent`. */
function timedFirestorePorts(deps: DecompressDeps, spent: { seconds: number }): DecompressDeps {
  const entries = Object.entries(deps).map(([key, port]: [string, unknown]) => [
    key,
    FIRESTORE_PORTS.has(key) ? timedCalls(port as object, spent) : port,
  ]);
  return Object.fromEntries(entries) as DecompressDeps;
}

function timedCalls<T extends object>(port: T, spent: { seconds: number }): T {
  return new Proxy(port, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        const started = performance.now();
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.finally(() => (spent.seconds += (performance.now() - started) / 1000));
      };
    },
  });
}

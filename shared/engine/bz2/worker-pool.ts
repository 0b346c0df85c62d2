import type * as Esbuild from 'esbuild';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BlockTask, BlockTaskResult } from './block-decoder.js';

/** Worker threads that decode bzip2 blocks; share one per process and close it at shutdown. */
export interface Bzip2WorkerPool {
  /** Number of worker threads (started lazily, on the first task). */
  readonly size: number;
  /** Decodes one block on a worker; `task.data` is transferred, so it is unusable afterwards. */
  decode(task: BlockTask): Promise<BlockTaskResult>;
  /** Starts every thread now, as an instance loads, rather than on the first task. */
  start(): void;
  /** Stops the workers; tasks still pending are rejected. */
  close(): Promise<void>;
}

interface Pending {
  task: BlockTask;
  resolve: (result: BlockTaskResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Pending>;
}

// Two tasks per worker, so a worker starts its next block while the main thread handles a result.
const TASKS_PER_WORKER = 2;

/**
 * Creates a pool of `size` block-decoding threads (default: the cores available). Workers are
 * unref'd while idle, so a forgotten pool does not keep the process alive.
 */
export function createBzip2WorkerPool(size = availableParallelism()): Bzip2WorkerPool {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`pool size ${size} is not a positive integer`);
  const slots: Slot[] = [];
  const queue: Pending[] = [];
  let nextId = 0;
  let closed = false;
  let entry: URL | undefined;
  let preparing = false;
  let entryFailure: Error | undefined;
  let startAll = false;

  function startSlot(at: URL): Slot {
    // A bundled worker needs no loader, so it does not inherit the parent's (tsx's) either.
    const execArgv = at.protocol === 'data:' ? [] : undefined;
    const slot: Slot = { worker: new Worker(at, { execArgv }), inFlight: new Map() };
    slot.worker.on(
      'message',
      (message: { id: number; result: BlockTaskResult; input: Uint8Array }) => {
        const pending = slot.inFlight.get(message.id);
        slot.inFlight.delete(message.id);
        pending?.task.recycle?.(message.input);
        pending?.resolve(message.result);
        pump();
      },
    );
    slot.worker.on('error', (error) => failSlot(slot, error));
    slot.worker.on('exit', (code) => failSlot(slot, new Error(`bzip2 worker exited (${code})`)));
    return slot;
  }

  function failSlot(slot: Slot, error: Error): void {
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
    for (const pending of slot.inFlight.values()) pending.reject(error);
    slot.inFlight.clear();
    pump();
  }

  /** The worker entry, or undefined while it is still being prepared (pump runs again then). */
  function ready(): URL | undefined {
    if (entry || preparing) return entry;
    const found = workerEntry();
    if (found instanceof URL) return (entry = found);
    preparing = true;
    found.then(
      (url) => {
        entry = url;
        if (startAll) fill(url);
        pump();
      },
      (error: unknown) => {
        entryFailure = new Error('bzip2 worker could not be prepared', { cause: error });
        for (const pending of queue.splice(0)) pending.reject(entryFailure);
      },
    );
    return undefined;
  }

  function fill(at: URL): void {
    while (!closed && slots.length < size) slots.push(startSlot(at));
  }

  function pump(): void {
    if (entryFailure) for (const pending of queue.splice(0)) pending.reject(entryFailure);
    const at = queue.length > 0 ? ready() : entry;
    while (!closed && at && queue.length > 0) {
      if (slots.length < size) slots.push(startSlot(at));
      const slot = slots.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a));
      if (slot.inFlight.size >= TASKS_PER_WORKER) break;
      const pending = queue.shift()!;
      const id = nextId++;
      slot.inFlight.set(id, pending);
      const { data, bitStart, bitLimit } = pending.task;
      slot.worker.postMessage({ id, data, bitStart, bitLimit }, [data.buffer as ArrayBuffer]);
    }
    for (const slot of slots) {
      if (slot.inFlight.size > 0) slot.worker.ref();
      else slot.worker.unref();
    }
  }

  return {
    size,
    decode(task) {
      if (closed) return Promise.reject(new Error('bzip2 worker pool is closed'));
      return new Promise((resolve, reject) => {
        queue.push({ task, resolve, reject });
        pump();
      });
    },
    start() {
      startAll = true;
      const at = ready();
      if (at) fill(at);
      pump();
    },
    async close() {
      closed = true;
      const error = new Error('bzip2 worker pool is closed');
      for (const pending of queue.splice(0)) pending.reject(error);
      const stopping = slots.splice(0);
      for (const slot of stopping) slot.worker.removeAllListeners('exit');
      await Promise.all(stopping.map((slot) => slot.worker.terminate()));
      for (const slot of stopping)
        for (const pending of slot.inFlight.values()) pending.reject(error);
    },
  };
}

let typescriptEntry: Promise<URL> | undefined;

/**
 * block-worker.js once compiled. When this module runs as TypeScript (under tsx or vitest),
 * block-worker.ts and its imports bundled to one plain script (once per process): Node 20
 * ignores a loader in a worker's execArgv, and registering tsx inside each worker cost ~30 MB
 * of RSS per thread, where the bundled worker needs ~8 MB.
 */
function workerEntry(): URL | Promise<URL> {
  const ownUrl = import.meta.url;
  if (!ownUrl.endsWith('.ts')) return new URL('./block-worker.js', ownUrl);
  return (typescriptEntry ??= bundleWorker(new URL('./block-worker.ts', ownUrl)));
}

async function bundleWorker(source: URL): Promise<URL> {
  // Not a literal, so a bundle of this module neither inlines esbuild nor lists it as needed.
  const bundler = 'esbuild';
  const { build } = (await import(bundler)) as typeof Esbuild;
  const result = await build({
    entryPoints: [fileURLToPath(source)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

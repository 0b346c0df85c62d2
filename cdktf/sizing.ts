/** How one function's instances are sized and scaled. */
export interface Sizing {
  /** vCPUs per instance; Cloud Run needs at least 1 to serve more than one request at once. */
  cpu: string;
  memory: string;
  timeoutSeconds: number;
  /** Requests one instance serves at once. */
  concurrency: number;
  minInstances: number;
  maxInstances: number;
}

/** The options sizing depends on. */
export interface SizingOptions {
  feedMinInstances: number;
  decompressMaxInstances: number;
}

/**
 * Delivery attempts before Pub/Sub dead-letters a decompress message. The decompress function
 * marks a file failed after DECOMPRESS_MAX_ATTEMPTS, which is set below this, so a file is
 * recorded as failed before its message is dead-lettered (the dead letter is then only the
 * record of a message the function could not even acknowledge).
 */
export const DEAD_LETTER_AFTER_ATTEMPTS = 7;

/** Attempts the decompress function makes itself before recording a file as failed. */
export const DECOMPRESS_MAX_ATTEMPTS = DEAD_LETTER_AFTER_ATTEMPTS - 2;

/**
 * Seconds Pub/Sub waits for the decompress function to acknowledge a push (its maximum is
 * 600); the function's own timeout stays below it so a slow delivery fails before it is
 * redelivered beside itself.
 */
export const DECOMPRESS_ACK_DEADLINE_SECONDS = 600;

/** An API whose requests mostly wait on other services, some of them long (a plan, a finalize). */
const IO_BOUND_API: Sizing = {
  cpu: '1',
  memory: '1Gi',
  timeoutSeconds: 1800,
  concurrency: 40,
  minInstances: 0,
  maxInstances: 10,
};

/** Each function's sizing; why each figure was chosen is beside it. */
export function sizing(options: SizingOptions): Record<string, Sizing> {
  return {
    // One work order per instance, its files one after another: bzip2 decoding is CPU-bound
    // and decodes blocks on two worker threads (BZ2_WORKERS = cpu), and a file's blocks, output
    // batches and buffers must fit in memory beside them. Locally a 3.4 MB bz2 (31 MB NDJSON)
    // took 1.5 s on 2 threads, so an order of small files (at most 16 MiB of bz2, about 7 s)
    // or one large file alone has 540 s, room for files a hundred times larger.
    decompress: {
      cpu: '2',
      memory: '2Gi',
      timeoutSeconds: DECOMPRESS_ACK_DEADLINE_SECONDS - 60,
      concurrency: 1,
      minInstances: 0,
      maxInstances: options.decompressMaxInstances,
    },
    // I/O-bound (Storage listings, Firestore, Workflows), so many requests share an
    // instance. A submit lists and plans up to MAX_FILES_PER_JOB objects inside the request,
    // so the timeout stays long.
    'pipeline-api': IO_BOUND_API,
    // The job workflow's callbacks: a few requests per job and poll, I/O-bound. Finalize
    // composes shards inside the request and the workflow allows it 1800 s, so the timeout
    // matches.
    'pipeline-workflow': IO_BOUND_API,
    // Latency-sensitive and cheap per request: it serves cached snapshot bytes, so one
    // instance takes many requests at once; min instances (an option) avoids cold starts.
    feed: {
      cpu: '1',
      memory: '512Mi',
      timeoutSeconds: 30,
      concurrency: 80,
      minInstances: options.feedMinInstances,
      maxInstances: 20,
    },
    // One event per file state change, bursty during a job; each handler does a few
    // Firestore reads and at most one recount a second per job.
    'job-status': {
      cpu: '1',
      memory: '512Mi',
      timeoutSeconds: 60,
      concurrency: 20,
      minInstances: 0,
      maxInstances: 20,
    },
    // The dashboard's control routes: a person clicking, rarely more than a few at once.
    'recorder-api': {
      cpu: '1',
      memory: '512Mi',
      timeoutSeconds: 60,
      concurrency: 10,
      minInstances: 0,
      maxInstances: 3,
    },
    // The console: a page and two cached assets, and the page's API calls passed on to the
    // APIs (waiting on them, as long as they may take).
    web: { ...IO_BOUND_API, memory: '512Mi', maxInstances: 3 },
    // One poll a minute, which must be done before the next one starts: 55 s, and the lease
    // in Firestore keeps a late instance from polling beside the next. A day's books are held
    // in memory while they are written, hence 1 GiB.
    'recorder-poll': {
      cpu: '1',
      memory: '1Gi',
      timeoutSeconds: 55,
      concurrency: 1,
      minInstances: 0,
      maxInstances: 2,
    },
  };
}

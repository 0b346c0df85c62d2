import { loadConfig } from '../platform/config.js';
import { AppError } from '../platform/errors.js';
import { createLogger } from '../platform/logging.js';
import { LocalObjectStore } from './adapters/object-store.js';
import { describeRuntime, startLocalRuntime } from './runtime.js';
import { runSampleJob } from './sample-job.js';

/** The longest a stop may take before the process exits anyway, with an error. */
const STOP_LIMIT_MS = 20_000;

/** How often the process checks that the one who started it is still there. */
const PARENT_CHECK_MS = 1000;

/**
 * `npm start`: the whole system on this machine. It stops cleanly on SIGINT, SIGTERM or SIGHUP,
 * whether sent to it, to `npm` (which forwards them to its script: the script `exec`s node, so
 * no shell sits in between to swallow them) or to the whole process group, and also when the
 * process that started it goes away without a signal (killed), so it is never left orphaned.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ minSeverity: config.logLevel, fields: { component: 'runtime' } });
  const runtime = await startLocalRuntime(config, { logger });
  process.stdout.write(describeRuntime(runtime));
  if (config.sampleJob) {
    runSampleJob({
      url: runtime.url,
      store: new LocalObjectStore({ dataDir: config.dataDir }),
      bucketsDir: runtime.bucketsDir,
      logger,
      print: (text) => process.stdout.write(text),
    }).catch((error: unknown) => logger.warn('the sample job did not run', { error }));
  }

  let stopping = false;
  const shutdown = (reason: string) => {
    // A signal to the process group reaches this process twice (directly and forwarded by
    // npm): the first starts the stop, the rest change nothing.
    if (stopping) return;
    stopping = true;
    logger.notice('stopping', { reason });
    setTimeout(() => {
      logger.error('stop took too long; exiting', { limitMs: STOP_LIMIT_MS });
      process.exit(1);
    }, STOP_LIMIT_MS).unref();
    runtime.stop().then(
      (undelivered) => {
        logger.notice('stopped', { undelivered: undelivered.length });
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('stop failed', { error });
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => shutdown(signal));
  }
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown('the process that started this one exited');
  }, PARENT_CHECK_MS).unref();
}

main().catch((error: unknown) => {
  const message = error instanceof AppError ? error.message : String(error);
  process.stderr.write(`chimera: cannot start: ${message}\n`);
  process.exit(1);
});

import { loadConfig } from '../platform/config.js';
import { AppError } from '../platform/errors.js';
import { createLogger } from '../platform/logging.js';
import { LocalObjectStore } from './adapters/object-store.js';
import { describeRuntime, startLocalRuntime } from './runtime.js';
import { runSampleJob } from './sample-job.js';

/** `npm start`: the whole system on this machine. */
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
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.notice('stopping', { signal });
    runtime.stop().then(
      () => {
        logger.notice('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('stop failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  const message = error instanceof AppError ? error.message : String(error);
  process.stderr.write(`chimera: cannot start: ${message}\n`);
  process.exit(1);
});

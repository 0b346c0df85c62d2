import { createLogger } from '../platform/logging.js';
import type { FunctionHostReply, FunctionHostStart } from './function-host.js';
import { Gateway, loadFunction, routesFor } from './gateway.js';

/**
 * The function host's process (started by the runtime, see function-host.ts): loads every
 * function with the runtime's local adapters, serves them behind a gateway with the runtime's
 * run token, and exits when told to or when the runtime's process goes away.
 */
function reply(message: FunctionHostReply): void {
  process.send?.(message);
}

async function serve(start: FunctionHostStart): Promise<void> {
  const logger = createLogger({ minSeverity: start.logLevel, fields: { component: 'functions' } });
  const gateway = new Gateway({
    runToken: start.runToken,
    allowedHosts: start.allowedHosts,
    logger,
  });
  for (const spec of start.functions) {
    const handle = await loadFunction(spec, {
      functionsDir: start.functionsDir,
      runToken: start.runToken,
    });
    gateway.add(...routesFor(spec, handle));
  }
  const url = await gateway.listen(start.port, '127.0.0.1');
  gateway.markReady();
  reply({ type: 'ready', url });
}

// Without its runtime there is no emulator, bus or gateway to serve: leave with it.
process.on('disconnect', () => process.exit(0));
process.on('message', (message: FunctionHostStart | { type: 'stop' }) => {
  if (message.type === 'stop') process.exit(0);
  serve(message).catch((error: unknown) => {
    reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
});

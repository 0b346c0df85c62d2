import os from 'node:os';
import path from 'node:path';
import { mkdtemp, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startLocalRuntime } from '../../../shared/local/runtime.js';
import { loadConfig } from '../../../shared/platform/config.js';
import { createLogger } from '../../../shared/platform/logging.js';
import { waitFor } from '../delivery/serve-function.js';

describe('stopping the runtime with deliveries pending', () => {
  it('abandons the ones in flight after its grace period and reports every undelivered one', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chimera-stop-'));
    const lines: Record<string, unknown>[] = [];
    const runtime = await startLocalRuntime(
      loadConfig({ PORT: '0', CHIMERA_DATA_DIR: dataDir, BUS_CONCURRENCY: '4' }),
      {
        logger: createLogger({
          write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
        }),
        exchange: 'configured',
        functions: [{ name: 'never-answers', trigger: { kind: 'pubsub', topic: 'slow' } }],
        functionsDir: path.join(import.meta.dirname, 'fixtures', 'functions'),
        stopGraceMs: 200,
      },
    );
    expect((await stat(runtime.runTokenFile)).mode & 0o777).toBe(0o600);
    const messages = Array.from({ length: 300 }, (_, i) => ({ data: Buffer.from(`m${i}`) }));
    await runtime.bus.publish('slow', messages);
    await waitFor(() => runtime.queue.stats().inFlight === 4);

    const undelivered = await runtime.stop();

    expect(undelivered).toHaveLength(300);
    expect(undelivered.every((delivery) => delivery.attempts === 0)).toBe(true);
    const report = lines.find((line) =>
      String(line.message).startsWith('deliveries left undelivered'),
    );
    expect(report).toMatchObject({
      severity: 'WARNING',
      undelivered: 300,
      byName: { 'projects/chimera-local/subscriptions/never-answers-push': 300 },
    });
    await expect(stat(runtime.runTokenFile)).rejects.toThrow();
  });
});

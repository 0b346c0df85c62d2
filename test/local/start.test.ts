import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../shared/local/firestore-emulator.js';
import { PROJECT_ROOT } from '../../shared/local/gateway.js';

// Generous limits: this spawns the whole system, and must pass on a busy two-core machine.
const START_LIMIT_MS = 60_000;
const STOP_LIMIT_MS = 30_000;

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isHealthy(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'status' in body && body.status === 'healthy';
}

/** Whether nothing listens on the port any more: it can be listened on again. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function until(condition: () => boolean | Promise<boolean>, limitMs: number) {
  const deadline = Date.now() + limitMs;
  while (!(await condition()) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `npm start` in its own process group and data directory, once it answers /health. */
async function npmStart(env: Record<string, string>) {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chimera-start-'));
  const child = spawn('npm', ['start'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: String(port), CHIMERA_DATA_DIR: dataDir, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const closed = once(child, 'close');
  let health: unknown;
  await until(async () => {
    health = await fetch(`http://127.0.0.1:${port}/health`)
      .then((r) => r.json())
      .catch(() => undefined);
    return isHealthy(health);
  }, START_LIMIT_MS);
  if (!isHealthy(health)) process.kill(-child.pid!, 'SIGKILL');
  expect(health, output).toMatchObject({ status: 'healthy', project: 'chimera-local' });
  expect(output).toContain(`http://127.0.0.1:${port}`);
  expect(output).toContain(path.join(dataDir, 'buckets'));
  const firestorePort = Number(/firestore\s+127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
  return { pid: child.pid!, port, firestorePort, closed, output: () => output };
}

describe('npm start', () => {
  it.each([
    ['SIGTERM', 'the npm process', { CHIMERA_SAMPLE_JOB: 'false' }],
    ['SIGINT', 'the npm process', { CHIMERA_SAMPLE_JOB: 'false' }],
    ['SIGTERM', 'the process group, while the sample job runs', {}],
    [
      'SIGKILL',
      'the npm process (the runtime notices its parent is gone)',
      { CHIMERA_SAMPLE_JOB: 'false' },
    ],
  ] as const)(
    'stops everything on %s to %s: no process left, ports free',
    async (signal, target, env) => {
      const run = await npmStart(env);
      try {
        process.kill(target.startsWith('the npm') ? run.pid : -run.pid, signal);
        const limit = new Promise((resolve) => setTimeout(resolve, STOP_LIMIT_MS));
        await Promise.race([run.closed, limit]);
        await until(() => !groupAlive(run.pid), 5000);
        expect(groupAlive(run.pid), run.output()).toBe(false);
        expect(run.output()).toMatch(/"message":"stopped"/);
        expect(run.output()).toMatch(
          /"message":"(every delivery finished|deliveries left undelivered)/,
        );
        expect(await portFree(run.port)).toBe(true);
        expect(await portFree(run.firestorePort)).toBe(true);
      } finally {
        // A failed stop must not leave the system running after the test.
        if (groupAlive(run.pid)) process.kill(-run.pid, 'SIGKILL');
      }
    },
    START_LIMIT_MS + STOP_LIMIT_MS + 10_000,
  );
});

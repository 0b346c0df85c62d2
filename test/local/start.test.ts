import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../shared/local/firestore-emulator.js';
import { PROJECT_ROOT } from '../../shared/local/gateway.js';

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

describe('npm start', () => {
  it('answers /health within 15 s and stops cleanly on Ctrl-C, leaving no process behind', async () => {
    const port = await freePort();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chimera-start-'));
    const child = spawn('npm', ['start'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PORT: String(port), CHIMERA_DATA_DIR: dataDir },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const closed = once(child, 'close');

    const started = Date.now();
    let health: unknown;
    while (Date.now() - started < 15_000 && !isHealthy(health)) {
      health = await fetch(`http://127.0.0.1:${port}/health`)
        .then((r) => r.json())
        .catch(() => undefined);
      if (!isHealthy(health)) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(health, output).toMatchObject({ status: 'healthy', project: 'chimera-local' });
    expect(output).toContain(`http://127.0.0.1:${port}`);
    expect(output).toContain(path.join(dataDir, 'buckets'));

    process.kill(-child.pid!, 'SIGINT');
    // npm itself dies of the SIGINT; the runtime below it must finish its shutdown and exit 0.
    await closed;
    expect(output).toMatch(/"message":"stopped"/);
    const deadline = Date.now() + 5000;
    while (groupAlive(child.pid!) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(groupAlive(child.pid!)).toBe(false);
  }, 30_000);
});

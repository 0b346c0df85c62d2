import path from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startFunctionHost } from '../../shared/local/function-host.js';
import { createLogger } from '../../shared/platform/logging.js';

const FIXTURES = path.join(import.meta.dirname, 'runtime', 'fixtures');
const hello = { name: 'hello', trigger: { kind: 'http' as const, routes: [] } };

/** The pids of a process's function hosts (not, say, esbuild's service), from /proc. */
function hostsOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter((child) => {
      try {
        return readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('function-host-main');
      } catch {
        return false;
      }
    });
}

/** A function host in this process serving the `hello` fixture. */
function startHello() {
  return startFunctionHost({
    functions: [hello],
    functionsDir: path.join(FIXTURES, 'functions'),
    runToken: 'token',
    allowedHosts: [],
    logLevel: 'ERROR',
    logger: createLogger({ minSeverity: 'ERROR', write: () => undefined }),
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function eventually(check: () => boolean | Promise<boolean>, limitMs = 20_000) {
  for (const deadline = Date.now() + limitMs; Date.now() < deadline;) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe('the function host', () => {
  it('dies with the process that started it, even one killed with SIGKILL', async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', 'host-parent.ts'], {
      cwd: FIXTURES,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(parent.stdout, 'data')) as [Buffer];
      const url = line.toString().trim();
      expect((await fetch(`${url}/hello/x`)).status).toBe(200);
      const hosts = hostsOf(parent.pid!);
      expect(hosts).toHaveLength(1);

      parent.kill('SIGKILL');
      await once(parent, 'exit');
      expect(await eventually(() => !alive(hosts[0]!))).toBe(true);
    } finally {
      if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
    }
  }, 60_000);

  it('stops without an error when its host is already going, as under a signal to the group', async () => {
    for (let round = 0; round < 2; round += 1) {
      const host = await startHello();
      const [pid] = hostsOf(process.pid);
      process.kill(pid!, 'SIGTERM');
      await expect(host.stop()).resolves.toBeUndefined();
      expect(alive(pid!)).toBe(false);
    }
  }, 120_000);

  it('is started again on the same address when it dies on its own', async () => {
    const host = await startHello();
    try {
      const [first] = hostsOf(process.pid);
      process.kill(first!, 'SIGKILL');
      const answered = await eventually(async () => {
        const response = await fetch(`${host.url}/hello/again`).catch(() => undefined);
        return response?.status === 200;
      }, 40_000);
      expect(answered).toBe(true);
    } finally {
      await host.stop();
    }
  }, 60_000);
});

import { startLocalRuntime, type LocalRuntime } from '../../shared/local/runtime.js';
import { loadConfig, type Config } from '../../shared/platform/config.js';
import { createLogger } from '../../shared/platform/logging.js';
import type { ObjectStore } from '../../shared/platform/ports/object-store.js';
import { tempStore } from './temp-store.js';

/** The whole local system in a temporary data directory, driven over HTTP like a user would. */
export interface PipelineHarness {
  runtime: LocalRuntime;
  store: ObjectStore;
  get<T>(path: string): Promise<{ status: number; body: T }>;
  post<T>(path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Polls a job's status until it leaves submitted/running. */
  waitForJob(jobId: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** A local runtime's settings for pipeline tests: quick polls and retries, errors logged only. */
export function pipelineTestConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: '0',
    CHIMERA_DATA_DIR: dataDir,
    JOB_POLL_SECONDS: '1',
    BUS_MIN_BACKOFF_MS: '50',
    BUS_MAX_BACKOFF_MS: '200',
    LOG_LEVEL: 'ERROR',
    ...env,
  });
}

export async function startPipeline(env: Record<string, string> = {}): Promise<PipelineHarness> {
  const { store, dataDir } = await tempStore();
  const config = pipelineTestConfig(dataDir, env);
  // No exchange simulator: a pipeline run should not share the machine with a recorder poll.
  const runtime = await startLocalRuntime(config, {
    logger: createLogger({ minSeverity: 'ERROR' }),
    exchange: 'configured',
  });
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const get = <T>(path: string) => call<T>('GET', path);
  const post = <T>(path: string, body?: unknown) => call<T>('POST', path, body);
  return {
    runtime,
    store,
    get,
    post,
    async waitForJob(jobId, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { body } = await get<Record<string, unknown>>(`/api/pipeline/${jobId}/status`);
        if (!['submitted', 'running'].includes(body.status as string)) return body;
        if (Date.now() > deadline) throw new Error(`job ${jobId} still ${String(body.status)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    stop: async () => {
      await runtime.stop();
    },
  };
}

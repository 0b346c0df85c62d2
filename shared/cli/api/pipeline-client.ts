import type { z } from 'zod';
import { AppError, hasCode } from '../../errors/app-error.js';
import { fetchJson } from '../../http/json-fetch.js';
import {
  filesSchema,
  historySchema,
  jobStatusSchema,
  logsSchema,
  submitResponseSchema,
  type HistoryJob,
  type JobFile,
  type JobStatusView,
  type SubmitResponse,
} from './api-schemas.js';

/**
 * The pipeline's HTTP API as the CLI uses it. Errors are AppErrors whose message is the API's
 * `detail`; an unreachable API says so and suggests starting the local system.
 */
export class PipelineClient {
  /** `idToken` is sent as a bearer token, for deployed functions that require IAM. */
  constructor(
    readonly baseUrl: string,
    private readonly idToken?: string,
  ) {}

  submit(body: Record<string, unknown>): Promise<SubmitResponse> {
    return this.call(submitResponseSchema, '/api/pipeline/submit', { method: 'POST', body });
  }

  status(jobId: string): Promise<JobStatusView> {
    return this.call(jobStatusSchema, `${jobPath(jobId)}/status`);
  }

  async logs(jobId: string): Promise<string[]> {
    return (await this.call(logsSchema, `${jobPath(jobId)}/logs?limit=1000`)).logs;
  }

  async cancel(jobId: string): Promise<void> {
    await fetchJson(this.url(`${jobPath(jobId)}/cancel`), {
      method: 'POST',
      body: {},
      headers: this.headers(),
    }).catch((error: unknown) => this.rethrow(error));
  }

  async history(limit: number): Promise<HistoryJob[]> {
    return (await this.call(historySchema, `/api/pipeline/history?limit=${limit}`)).jobs;
  }

  async failedFiles(jobId: string, limit: number): Promise<JobFile[]> {
    const path = `${jobPath(jobId)}/files?state=failed&limit=${limit}`;
    return (await this.call(filesSchema, path)).files;
  }

  private async call<S extends z.ZodType>(
    schema: S,
    path: string,
    init?: { method: string; body: unknown },
  ): Promise<z.output<S>> {
    const body = await fetchJson(this.url(path), { ...init, headers: this.headers() }).catch(
      (error: unknown) => this.rethrow(error),
    );
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    throw new AppError('CLI.BAD_RESPONSE', 'internal', `Unexpected answer from ${path}`);
  }

  private headers(): Record<string, string> {
    return this.idToken ? { authorization: `Bearer ${this.idToken}` } : {};
  }

  private url(path: string): string {
    return `${this.baseUrl.replace(/\/+$/, '')}${path}`;
  }

  private rethrow(error: unknown): never {
    if (hasCode(error, 'HTTP.UNREACHABLE')) {
      throw new AppError(
        'CLI.UNREACHABLE',
        'unavailable',
        `Cannot reach the pipeline API at ${this.baseUrl}. Is \`npm start\` running?`,
        { cause: error },
      );
    }
    throw error;
  }
}

function jobPath(jobId: string): string {
  return `/api/pipeline/${encodeURIComponent(jobId)}`;
}

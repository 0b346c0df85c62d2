import { z } from 'zod';
import { AppError, hasCode } from '../platform/errors.js';
import { fetchJson } from '../platform/http.js';
import { UsageError, type CommandContext, stringOption, type OptionValues } from './command.js';

const envSchema = z.object({
  CHIMERA_API_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).optional(),
});

/**
 * The pipeline API to talk to: `--url`, else `CHIMERA_API_URL`, else the local gateway on
 * `PORT` (8080 by default), as `npm start` serves it.
 */
export function resolveApiUrl(
  flag: string | undefined,
  env: Record<string, string | undefined>,
): string {
  if (flag !== undefined) return checkedUrl(flag, '--url');
  const parsed = envSchema.safeParse({
    CHIMERA_API_URL: env.CHIMERA_API_URL || undefined,
    PORT: env.PORT || undefined,
  });
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new UsageError(`invalid environment variable(s): ${names}`);
  }
  return parsed.data.CHIMERA_API_URL ?? `http://127.0.0.1:${parsed.data.PORT ?? 8080}`;
}

function checkedUrl(text: string, name: string): string {
  if (!z.url({ protocol: /^https?$/ }).safeParse(text).success) {
    throw new UsageError(`${name} must be an http(s) URL; got "${text}"`);
  }
  return text;
}

// Loose on purpose: a deployed API may add fields or, being the predecessor's, lack CHIMERA's.
const count = z.number().default(0);

/** `POST /api/pipeline/submit` → 201. */
export const submitResponseSchema = z.looseObject({
  jobId: z.string(),
  dataflowJobId: z.string().nullish(),
  status: z.string(),
  message: z.string().nullish(),
  dataflowUrl: z.string().nullish(),
});
export type SubmitResponse = z.output<typeof submitResponseSchema>;

/** `GET /api/pipeline/{jobId}/status`: the fields the CLI shows. */
export const jobStatusSchema = z.looseObject({
  jobId: z.string(),
  status: z.string(),
  progress: count,
  recordsProcessed: count,
  bytesRead: count,
  elapsedSeconds: count,
  estimatedSecondsRemaining: z.number().nullish(),
  throughputRecordsPerSec: count,
  createdAt: z.string().nullish(),
  completedAt: z.string().nullish(),
  errorMessage: z.string().nullish(),
  outputLocation: z.string().nullish(),
  filesTotal: count,
  filesSucceeded: count,
  filesFailed: count,
  filesSkipped: count,
  filesCancelled: count,
  quarantinedLines: count,
  outputFiles: z.array(z.string()).default([]),
  load: z
    .object({
      dataset: z.string(),
      tables: z.array(
        z.looseObject({
          table: z.string(),
          state: z.string(),
          rowsLoaded: count,
          tableRows: count,
          errors: z.array(z.string()).default([]),
        }),
      ),
    })
    .nullish(),
});
export type JobStatusView = z.output<typeof jobStatusSchema>;

/** `GET /api/pipeline/{jobId}/logs`. */
export const logsSchema = z.object({ logs: z.array(z.string()) });

/** `GET /api/pipeline/history`. */
export const historySchema = z.object({
  jobs: z.array(
    z.looseObject({
      jobId: z.string(),
      status: z.string(),
      sourceDataset: z.string().nullish(),
      selectedPaths: z.array(z.string()).default([]),
      processType: z.string().nullish(),
      targetBucket: z.string().nullish(),
      createdAt: z.string().nullish(),
      durationSeconds: z.number().nullish(),
      recordsProcessed: count,
      outputFiles: z.array(z.string()).default([]),
    }),
  ),
});
export type HistoryJob = z.output<typeof historySchema>['jobs'][number];

/** `GET /api/pipeline/{jobId}/files`. */
export const filesSchema = z.object({
  files: z.array(
    z.looseObject({
      source: z.string(),
      state: z.string(),
      error: z.object({ code: z.string(), message: z.string() }).nullish(),
    }),
  ),
});
export type JobFile = z.output<typeof filesSchema>['files'][number];

/** The job statuses after which nothing changes any more. */
export const FINAL_STATUSES: readonly string[] = ['completed', 'failed', 'cancelled'];

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

  /** The newest jobs; the API checks the filters and answers a 400 naming what is allowed. */
  async history(query: {
    limit: number;
    status?: string;
    processType?: string;
  }): Promise<HistoryJob[]> {
    const params = new URLSearchParams({ limit: String(query.limit) });
    if (query.status) params.set('status', query.status);
    if (query.processType) params.set('processType', query.processType);
    return (await this.call(historySchema, `/api/pipeline/history?${params.toString()}`)).jobs;
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

/** `--url`, shared by every command that talks to the pipeline API. */
export const URL_OPTION = { url: { type: 'string' } } as const;

/** Usage text for `--url`. */
export const URL_USAGE = `  --url <url>       pipeline API (default: $CHIMERA_API_URL, else http://127.0.0.1:$PORT,
                    PORT defaulting to 8080 — the gateway \`npm start\` runs); a deployed
                    API needs CHIMERA_ID_TOKEN=$(gcloud auth print-identity-token)`;

/** A client for the API that `--url` or the environment names. */
export function clientFor(values: OptionValues, context: CommandContext): PipelineClient {
  return new PipelineClient(
    resolveApiUrl(stringOption(values, 'url'), context.env),
    context.env.CHIMERA_ID_TOKEN || undefined,
  );
}

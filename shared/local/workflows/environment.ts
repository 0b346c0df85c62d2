/** An HTTP request as the `http.*` calls pass it to the environment. */
export interface WorkflowHttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
  timeoutMs?: number;
}

/** An HTTP response; a string or bytes body with a JSON content type is parsed by the caller. */
export interface WorkflowHttpResponse {
  code: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Everything a running workflow touches outside itself. */
export interface WorkflowEnvironment {
  /** Sends a request; throws on connection failure (an error named TimeoutError on timeout). */
  http(request: WorkflowHttpRequest): Promise<WorkflowHttpResponse>;
  /** Publishes to `projects/P/topics/T`; returns the message ids. */
  publish(
    topic: string,
    messages: { data: string; attributes?: Record<string, string> }[],
  ): Promise<string[]>;
  /** Waits `ms`; should reject early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  log(severity: string, payload: unknown): void;
  /** Epoch milliseconds. */
  now(): number;
  env: { projectId: string; location: string; workflowId: string; executionId: string };
}

/** The built-in variables `sys.get_env` reads, by their Cloud Workflows names. */
export function builtinEnvVariables(environment: WorkflowEnvironment): Record<string, string> {
  const { env } = environment;
  return {
    GOOGLE_CLOUD_PROJECT_ID: env.projectId,
    GOOGLE_CLOUD_LOCATION: env.location,
    GOOGLE_CLOUD_WORKFLOW_ID: env.workflowId,
    GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID: env.executionId,
  };
}

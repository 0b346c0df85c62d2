import type { WorkflowHttpRequest, WorkflowHttpResponse } from './workflows/environment.js';

/**
 * Performs a workflow's HTTP call with fetch. `auth` is not needed locally, so none is sent.
 * Rejects only when no answer came (refused, timed out); any status is an answer.
 */
export async function workflowHttp(request: WorkflowHttpRequest): Promise<WorkflowHttpResponse> {
  const url = new URL(request.url);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    url.searchParams.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  const hasBody = request.body !== undefined && request.body !== null;
  const response = await fetch(url, {
    method: request.method.toUpperCase(),
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...request.headers },
    body: hasBody ? bodyOf(request.body) : undefined,
    signal: AbortSignal.timeout(request.timeoutMs ?? 300_000),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json');
  return {
    code: response.status,
    headers: Object.fromEntries(response.headers),
    body: json && text ? (JSON.parse(text) as unknown) : text,
  };
}

function bodyOf(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

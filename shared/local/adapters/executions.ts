import { fetchJson } from '../../platform/http.js';
import {
  fromRestExecution,
  type Execution,
  type WorkflowExecutions,
} from '../../platform/ports/executions.js';

/**
 * Talks to the Executions REST shape served by the embedded runtime (`/v1/projects/…`), so a
 * function starts a local workflow exactly as it would start a Cloud Workflows execution.
 */
export class HttpWorkflowExecutions implements WorkflowExecutions {
  constructor(
    private readonly baseUrl: string,
    private readonly projectId: string,
    private readonly location: string,
    /** Sent with every call: the runtime's per-run token. */
    private readonly headers: Record<string, string> = {},
  ) {}

  async start(workflow: string, argument: unknown): Promise<Execution> {
    const parent = `projects/${this.projectId}/locations/${this.location}/workflows/${workflow}`;
    const body = { argument: JSON.stringify(argument) };
    return fromRestExecution(
      await fetchJson(`${this.baseUrl}/v1/${parent}/executions`, { body, headers: this.headers }),
    );
  }

  async get(name: string): Promise<Execution> {
    return fromRestExecution(
      await fetchJson(`${this.baseUrl}/v1/${name}`, { headers: this.headers }),
    );
  }

  async cancel(name: string): Promise<Execution> {
    return fromRestExecution(
      await fetchJson(`${this.baseUrl}/v1/${name}:cancel`, { body: {}, headers: this.headers }),
    );
  }
}

import { ExecutionsClient } from '@google-cloud/workflows';
import { fromRestExecution, type Execution, type WorkflowExecutions } from '../ports/executions.js';

/** Starts and reads executions through the Cloud Workflows Executions API. */
export class CloudWorkflowExecutions implements WorkflowExecutions {
  private readonly client = new ExecutionsClient();

  constructor(
    private readonly projectId: string,
    private readonly location: string,
  ) {}

  async start(workflow: string, argument: unknown): Promise<Execution> {
    const parent = this.client.workflowPath(this.projectId, this.location, workflow);
    const [execution] = await this.client.createExecution({
      parent,
      execution: { argument: JSON.stringify(argument) },
    });
    return fromRestExecution(execution);
  }

  async get(name: string): Promise<Execution> {
    const [execution] = await this.client.getExecution({ name });
    return fromRestExecution(execution);
  }

  async cancel(name: string): Promise<Execution> {
    const [execution] = await this.client.cancelExecution({ name });
    return fromRestExecution(execution);
  }
}

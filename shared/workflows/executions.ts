/** Cloud Workflows execution states, as the Executions API names them. */
export const EXECUTION_STATES = ['ACTIVE', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type ExecutionState = (typeof EXECUTION_STATES)[number];

/** One workflow execution, in the Executions API's vocabulary. */
export interface Execution {
  /** Full resource name: projects/P/locations/L/workflows/W/executions/ID. */
  name: string;
  workflow: string;
  state: ExecutionState;
  argument: unknown;
  /** Present when SUCCEEDED: the value the workflow returned. */
  result?: unknown;
  /** Present when FAILED: the error the workflow raised, as the API reports it. */
  error?: { payload: string; context?: string };
  startTime: Date;
  endTime?: Date;
}

/** The port for starting and watching workflow executions. */
export interface WorkflowExecutions {
  start(workflow: string, argument: unknown): Promise<Execution>;
  get(name: string): Promise<Execution>;
  cancel(name: string): Promise<Execution>;
}

import { z } from 'zod';

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

/** An execution as the Workflows REST API writes it: argument and result are JSON strings. */
export interface RestExecution {
  name: string;
  state: string;
  argument?: string;
  result?: string;
  error?: { payload: string; context?: string };
  startTime?: string;
  endTime?: string;
}

const timestamp = z.union([
  z.string(),
  z.object({ seconds: z.union([z.string(), z.number()]), nanos: z.number().optional() }),
]);

const restExecution = z.object({
  name: z.string(),
  state: z.string(),
  argument: z.string().nullish(),
  result: z.string().nullish(),
  error: z.object({ payload: z.string(), context: z.string().nullish() }).nullish(),
  startTime: timestamp.nullish(),
  endTime: timestamp.nullish(),
});

/** Writes an execution in the REST shape. */
export function toRestExecution(execution: Execution): RestExecution {
  return {
    name: execution.name,
    state: execution.state,
    argument: JSON.stringify(execution.argument ?? null),
    result: execution.result === undefined ? undefined : JSON.stringify(execution.result),
    error: execution.error,
    startTime: execution.startTime.toISOString(),
    endTime: execution.endTime?.toISOString(),
  };
}

/** Reads the REST (or client library) shape back into the port's Execution. */
export function fromRestExecution(input: unknown): Execution {
  const rest = restExecution.parse(input);
  const start = toDate(rest.startTime) ?? new Date(0);
  return {
    name: rest.name,
    workflow: rest.name.split('/executions/')[0]?.split('/').pop() ?? '',
    state: toState(rest.state),
    argument: rest.argument ? (JSON.parse(rest.argument) as unknown) : null,
    result: rest.result ? (JSON.parse(rest.result) as unknown) : undefined,
    error: rest.error
      ? { payload: rest.error.payload, context: rest.error.context ?? undefined }
      : undefined,
    startTime: start,
    endTime: toDate(rest.endTime),
  };
}

/** QUEUED and the like are still on their way: report them as ACTIVE. */
function toState(state: string): ExecutionState {
  return (EXECUTION_STATES as readonly string[]).includes(state)
    ? (state as ExecutionState)
    : 'ACTIVE';
}

function toDate(value: z.infer<typeof timestamp> | null | undefined): Date | undefined {
  if (value == null) return undefined;
  if (typeof value === 'string') return new Date(value);
  return new Date(Number(value.seconds) * 1000 + Math.floor((value.nanos ?? 0) / 1e6));
}

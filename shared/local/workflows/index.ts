export { parseWorkflow } from './parse.js';
export { runWorkflow, MAX_CALL_DEPTH } from './run.js';
export { MAX_STEPS } from './executor.js';
export { WorkflowError, CancelledError } from './errors.js';
export type {
  WorkflowEnvironment,
  WorkflowHttpRequest,
  WorkflowHttpResponse,
} from './environment.js';
export type { WorkflowProgram } from './program.js';
export {
  LocalWorkflowExecutions,
  type LocalWorkflowExecutionsOptions,
} from './local-executions.js';

import { AppError } from '../../platform/errors.js';

/** The error tags Cloud Workflows puts on the errors it raises itself. */
export const ERROR_TAGS = [
  'ConnectionError',
  'ConnectionFailedError',
  'HttpError',
  'IndexError',
  'KeyError',
  'RecursionError',
  'ResourceLimitError',
  'SystemError',
  'TimeoutError',
  'TypeError',
  'UnhandledBranchError',
  'ValueError',
  'ZeroDivisionError',
] as const;
export type ErrorTag = (typeof ERROR_TAGS)[number];

/**
 * A value raised by a workflow (by `raise`, a failed call or a runtime error) that nothing caught.
 * `payload` is the raised value itself, as `except: as:` would see it.
 */
export class WorkflowError extends Error {
  override readonly name = 'WorkflowError';
  /** The step path where the value left the first step, e.g. `main.steps[2].publish`. */
  stepPath?: string;

  constructor(readonly payload: unknown) {
    super(describePayload(payload));
  }
}

/** Thrown when an execution is cancelled; never caught by `except` or `retry`. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('execution cancelled');
  }
}

/** A WorkflowError carrying the map Cloud Workflows raises for a runtime error with `tag`. */
export function runtimeError(tag: ErrorTag, message: string): WorkflowError {
  return new WorkflowError({ message, tags: [tag] });
}

/** A construct the local interpreter does not run, named with its step path. */
export function unsupported(construct: string, path: string): AppError {
  return new AppError(
    'WORKFLOW.UNSUPPORTED',
    'invalid',
    `unsupported construct "${construct}" in step ${path}`,
  );
}

/** A workflow definition that is malformed, named with its step path. */
export function invalid(message: string, path: string): AppError {
  return new AppError('WORKFLOW.INVALID', 'invalid', `${message} in step ${path}`);
}

/** Throws CancelledError when the signal is aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

function describePayload(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  if (payload && typeof payload === 'object' && 'message' in payload) {
    const message = payload.message;
    if (typeof message === 'string') return message;
  }
  try {
    return JSON.stringify(payload) ?? String(payload);
  } catch {
    return String(payload);
  }
}

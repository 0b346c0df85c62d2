import { AppError } from '../../errors/app-error.js';

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

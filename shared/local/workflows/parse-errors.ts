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

/** Refuses keys outside `allowed`, naming the first stray one. */
export function onlyKeys(map: Record<string, unknown>, allowed: string[], path: string): void {
  const stray = Object.keys(map).find((key) => !allowed.includes(key));
  if (stray) throw unsupported(stray, path);
}

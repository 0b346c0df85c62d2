import { AppError } from '../errors/app-error.js';

/** LINES.TOO_LONG: one line grew past the cap, so the source is not usable NDJSON. */
export function lineTooLong(lineNumber: number, maxLineBytes: number): AppError {
  return new AppError(
    'LINES.TOO_LONG',
    'invalid',
    `Line ${lineNumber} is longer than ${maxLineBytes} bytes; ` +
      'the file is probably not newline-delimited JSON',
  );
}

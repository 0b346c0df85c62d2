import { invalidArgument } from './storage-errors.js';

/** An inclusive byte range that fits the object, or `undefined` for the whole (empty) object. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The range to read from an object of `size` bytes. `end` past the last byte is clamped, as
 * Cloud Storage does; `start` past it, or `end` before `start`, is OBJECT.INVALID_ARGUMENT.
 */
export function resolveByteRange(
  size: number,
  { start = 0, end }: { start?: number; end?: number },
): ByteRange | undefined {
  if (!isOffset(start) || (end !== undefined && !isOffset(end))) {
    throw invalidArgument('start and end must be non-negative integers');
  }
  if (end !== undefined && end < start)
    throw invalidArgument(`end ${end} is before start ${start}`);
  if (size === 0 && start === 0) return undefined;
  if (start >= size) throw invalidArgument(`start ${start} is past the end (${size} bytes)`);
  return { start, end: Math.min(end ?? size - 1, size - 1) };
}

function isOffset(n: number): boolean {
  return Number.isInteger(n) && n >= 0;
}

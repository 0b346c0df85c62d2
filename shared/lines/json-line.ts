import { isUtf8 } from 'node:buffer';
import { isJsonText } from './json-syntax.js';

/**
 * Why `line` is not one JSON value in UTF-8, or undefined when it is. The bytes are checked in
 * place; only a line that fails is decoded, to get JSON.parse's own explanation.
 */
export function jsonLineProblem(line: Buffer): string | undefined {
  // Decoding would silently turn bad bytes into U+FFFD, which JSON.parse accepts inside strings.
  if (!isUtf8(line)) return 'Line is not valid UTF-8';
  if (isJsonText(line)) return undefined;
  try {
    // JSON.parse has the last word, so a stricter syntax check can never reject valid JSON.
    JSON.parse(line.toString('utf8'));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

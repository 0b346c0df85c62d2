import { execFileSync } from 'node:child_process';

/** `bzip2 -dc` of a buffer; a 0-byte file (which bzip2 refuses) is taken as empty. */
export function bzip2Dc(compressed: Buffer): Buffer {
  if (compressed.length === 0) return compressed;
  return execFileSync('bzip2', ['-dc'], { input: compressed, maxBuffer: 1 << 30 });
}

/**
 * A deliberately plain restatement of the line rules, to check the engine against: LF endings,
 * a trailing CR dropped, blank lines dropped, non-JSON lines left out, a final newline.
 */
export function referenceLines(decompressed: Buffer): Buffer {
  const kept = decompressed
    .toString('latin1')
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '' && isJson(Buffer.from(line, 'latin1').toString('utf8')));
  return Buffer.from(kept.map((line) => `${line}\n`).join(''), 'latin1');
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

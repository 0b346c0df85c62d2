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

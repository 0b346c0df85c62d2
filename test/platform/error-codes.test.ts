import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BETFAIR_ERROR_CODES } from '../../shared/betfair/errors.js';
import { APING_ERROR_CODES } from '../../shared/betfair/protocol.js';
import { CLI_ERROR_CODES } from '../../shared/cli/errors.js';
import { ENGINE_ERROR_CODES } from '../../shared/engine/errors.js';
import { LIVE_ERROR_CODES } from '../../shared/live/errors.js';
import { LOCAL_ERROR_CODES } from '../../shared/local/errors.js';
import { PIPELINE_ERROR_CODES } from '../../shared/pipeline/errors.js';
import { PLATFORM_ERROR_CODES } from '../../shared/platform/errors.js';

const SHARED = path.resolve(import.meta.dirname, '../../shared');

const declared: Record<string, readonly string[]> = {
  platform: PLATFORM_ERROR_CODES,
  engine: ENGINE_ERROR_CODES,
  betfair: [...BETFAIR_ERROR_CODES, ...APING_ERROR_CODES.map((code) => `APING.${code}`)],
  pipeline: PIPELINE_ERROR_CODES,
  live: LIVE_ERROR_CODES,
  local: LOCAL_ERROR_CODES,
  cli: CLI_ERROR_CODES,
};
const all = Object.values(declared).flat();

/** Error-code-looking words in a source file: `'BZ2.CORRUPT'` in code, BZ2.CORRUPT in comments. */
const CODE_LIKE = /\b[A-Z][A-Z0-9]+\.[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\b/g;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('error codes', () => {
  it('are each declared once, by one context', () => {
    expect(new Set(all).size).toBe(all.length);
  });

  it('are spelled AREA.SITUATION in capitals', () => {
    for (const code of all) expect(code).toMatch(/^[A-Z0-9]+\.[A-Z0-9_]+$|^INTERNAL$/);
  });

  it('are the only codes the library names, in code or in comments', async () => {
    const known = new Set(all);
    const unknown: string[] = [];
    for (const file of await sourceFiles(SHARED)) {
      const text = await readFile(file, 'utf8');
      for (const [word] of text.matchAll(CODE_LIKE)) {
        if (!known.has(word)) unknown.push(`${path.relative(SHARED, file)}: ${word}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});

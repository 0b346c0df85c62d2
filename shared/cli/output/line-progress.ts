import type { CliStream } from '../cli-io.js';
import type { Progress } from './progress.js';

/**
 * Progress for logs and pipes: one `progress: 40% (4/10) detail` line when something changed
 * and `intervalMs` passed since the last one, and always the last state on stop.
 */
export function createLineProgress(
  stream: CliStream,
  intervalMs: number,
  now: () => number = Date.now,
): Progress {
  let last = '';
  let pending = '';
  let lastAt = -Infinity;
  const print = (line: string) => {
    stream.write(`${line}\n`);
    last = line;
    lastAt = now();
  };
  return {
    update(value, total, detail) {
      pending = `progress: ${percent(value, total)}% (${value}/${total}) ${detail}`.trimEnd();
      if (pending !== last && now() - lastAt >= intervalMs) print(pending);
    },
    log: (line) => stream.write(`${line}\n`),
    stop() {
      if (pending && pending !== last) print(pending);
    },
  };
}

function percent(value: number, total: number): number {
  return total > 0 ? Math.floor((100 * Math.min(value, total)) / total) : 0;
}

import type { CliStream } from '../cli-io.js';
import type { Progress } from './progress.js';

/** Even with no change, a line this often shows the task is alive. */
const HEARTBEAT_MS = 30_000;

/**
 * Progress for logs and pipes: a `progress: 40% (4/10) detail` line when the count moved and
 * `intervalMs` passed since the last line (or every 30 s regardless), and the last state on
 * stop. Rates in `detail` change on every update, so they alone never cause a line.
 */
export function createLineProgress(
  stream: CliStream,
  intervalMs: number,
  now: () => number = Date.now,
): Progress {
  let printed = { value: NaN, total: NaN, line: '', at: -Infinity };
  let pending: typeof printed | undefined;
  const print = (state: typeof printed) => {
    stream.write(`${state.line}\n`);
    printed = state;
    pending = undefined;
  };
  return {
    update(value, total, detail) {
      const line = `progress: ${percent(value, total)}% (${value}/${total}) ${detail}`.trimEnd();
      pending = { value, total, line, at: now() };
      const moved = value !== printed.value || total !== printed.total;
      const since = pending.at - printed.at;
      if ((moved && since >= intervalMs) || since >= HEARTBEAT_MS) print(pending);
    },
    log: (line) => stream.write(`${line}\n`),
    stop() {
      if (pending && pending.line !== printed.line) print(pending);
    },
  };
}

function percent(value: number, total: number): number {
  return total > 0 ? Math.floor((100 * Math.min(value, total)) / total) : 0;
}

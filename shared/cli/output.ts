import { MultiBar, Presets } from 'cli-progress';
import type { CliStream } from './command.js';

/** Bytes as megabytes with one decimal: `12.3 MB`. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** A count with thousands separators: `1,234,567`. */
export function count(value: number): string {
  return value.toLocaleString('en-GB');
}

/** Seconds as `1h02m03s`, `2m05s` or `7s`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const [h, m, rest] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h${pad(m)}m${pad(rest)}s`;
  if (m > 0) return `${m}m${pad(rest)}s`;
  return `${rest}s`;
}

/**
 * Rows as left-aligned, space-separated columns under a header and a rule. Cells are cut to
 * `maxWidth` characters so one long error message cannot push the other columns off screen.
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  maxWidth = 100,
): string {
  const all = [header, ...rows].map((row) => row.map((cell) => cut(cell, maxWidth)));
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(all[0] ?? []), rule, ...all.slice(1).map(line)].join('\n');
}

function cut(cell: string, maxWidth: number): string {
  const flat = cell.replace(/\s+/g, ' ');
  return flat.length > maxWidth ? `${flat.slice(0, maxWidth - 1)}…` : flat;
}

/** Where a long task shows how far it got, and prints messages without garbling the bar. */
export interface Progress {
  /** `value` of `total` done; `detail` is shown after the bar (counts, rates). */
  update(value: number, total: number, detail: string): void;
  /** A message line above the bar. */
  log(line: string): void;
  /** Draws the final state and releases the terminal. */
  stop(): void;
}

/** A live bar on a terminal; plain progress lines at most every `intervalMs` otherwise. */
export function createProgress(stream: CliStream, options: { intervalMs?: number } = {}): Progress {
  return stream.isTTY === true
    ? createTtyProgress(stream)
    : createLineProgress(stream, options.intervalMs ?? 2000);
}

/** A cli-progress bar; a MultiBar even for one bar because only it can log above the bar. */
export function createTtyProgress(stream: CliStream): Progress {
  const bars = new MultiBar(
    {
      stream,
      format: '{bar} {percentage}% | {detail}',
      hideCursor: true,
      clearOnComplete: false,
      forceRedraw: true,
    },
    Presets.shades_classic,
  );
  const bar = bars.create(0, 0, { detail: '' });
  return {
    update(value, total, detail) {
      bar.setTotal(total);
      bar.update(value, { detail });
    },
    log: (line) => bars.log(`${line}\n`),
    stop: () => bars.stop(),
  };
}

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

import { MultiBar, Presets } from 'cli-progress';
import type { CliStream } from '../cli-io.js';
import type { Progress } from './progress.js';

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

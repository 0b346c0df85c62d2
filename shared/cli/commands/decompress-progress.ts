import type { CliStream } from '../cli-io.js';
import type { RunProgress } from '../decompress/run-progress.js';
import { megabytes } from '../output/format.js';
import { createProgress } from '../output/progress.js';

/** A bar over the compressed megabytes read, with files done and failed beside it. */
export function decompressProgress(stream: CliStream) {
  const progress = createProgress(stream);
  return {
    update: (state: RunProgress): void => {
      const failed = state.filesFailed > 0 ? ` | ${state.filesFailed} failed` : '';
      const detail =
        `files ${state.filesDone}/${state.files} | ` +
        `${megabytes(state.bytesRead)} of ${megabytes(state.bytes)}${failed}`;
      progress.update(state.bytesRead, state.bytes, detail);
    },
    stop: () => progress.stop(),
  };
}

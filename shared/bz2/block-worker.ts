/** Worker thread entry: decodes block tasks posted by Bzip2WorkerPool, one at a time. */
import { parentPort } from 'node:worker_threads';
import { BlockDecoder } from './block-decoder.js';
import { runBlockTask, type BlockTask } from './block-task.js';

interface TaskMessage extends BlockTask {
  id: number;
}

const decoder = new BlockDecoder();

parentPort?.on('message', (message: TaskMessage) => {
  const result = runBlockTask(decoder, message);
  const transfer = result.ok ? [result.output.buffer as ArrayBuffer] : [];
  parentPort?.postMessage({ id: message.id, result }, transfer);
});

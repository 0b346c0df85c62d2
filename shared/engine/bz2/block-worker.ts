import { parentPort } from 'node:worker_threads';
import { BlockDecoder, runBlockTask, type BlockTask } from './block-decoder.js';

/** Worker thread entry: decodes block tasks posted by Bzip2WorkerPool, one at a time. */

interface TaskMessage extends Omit<BlockTask, 'recycle'> {
  id: number;
}

const decoder = new BlockDecoder();

parentPort?.on('message', (message: TaskMessage) => {
  const result = runBlockTask(decoder, message);
  // The input goes back too, for reuse: see BufferRecycler.
  const input = message.data;
  const transfer = [input.buffer as ArrayBuffer];
  if (result.ok) transfer.push(result.output.buffer as ArrayBuffer);
  parentPort?.postMessage({ id: message.id, result, input }, transfer);
});

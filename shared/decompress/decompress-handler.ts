import { createBzip2WorkerPool, decodeBzip2 } from '../bz2/index.js';
import type { IncomingEvent } from '../events/incoming-event.js';
import { pubsubJson } from '../events/pubsub-message.js';
import { runEvent } from '../events/run-event.js';
import { parseDecompressMessage } from '../jobs/decompress-message.js';
import { FirestoreFileStatusStore } from '../jobs/firestore-file-status-store.js';
import type { Platform } from '../platform/platform.js';
import { createSourcePlugins } from '../plugins/index.js';
import { decompressFile, type DecompressDeps } from './decompress-file.js';

/** Wires the decompress use case to the platform; the worker pool lives as long as the instance. */
export function decompressDeps(platform: Platform): DecompressDeps {
  const workers = createBzip2WorkerPool(platform.config.bz2Workers);
  return {
    objectStore: platform.objectStore,
    statusStore: new FirestoreFileStatusStore(platform.firestore),
    plugins: createSourcePlugins({ decodeBz2: (source) => decodeBzip2(source, { workers }) }),
    logger: platform.logger,
    maxAttempts: platform.config.decompressMaxAttempts,
  };
}

/** The CloudEvent handler for one `messagePublished` event naming one file. */
export function decompressHandler(deps: DecompressDeps) {
  return (event: IncomingEvent): Promise<void> =>
    runEvent(deps.logger, event.id, async () => {
      await decompressFile(deps, parseDecompressMessage(pubsubJson(event.data)));
    });
}

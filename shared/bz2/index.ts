/** Streaming, block-parallel bzip2 decoding for Betfair historical files. */
export { decodeBzip2, decodeBzip2Stream } from './decode-bzip2.js';
export type { Bzip2Source, DecodeBzip2Options } from './decode-bzip2.js';
export { createBzip2WorkerPool } from './worker-pool.js';
export type { Bzip2WorkerPool } from './worker-pool.js';
export { isBzip2Magic } from './magic.js';

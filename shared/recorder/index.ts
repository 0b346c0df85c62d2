// Public surface of the live recorder.
export { createRecorderApi, createRecorderPoll } from './recorder-api.js';
export { recorderDeps } from './platform-deps.js';
export type { RecorderDeps } from './recorder-deps.js';
export { runPoll, type PollResult } from './poll-runner.js';
export { latestPath, recordPath } from './record-paths.js';
export { RECORDER_STATUSES, type RecorderStatus } from './recorder-status.js';

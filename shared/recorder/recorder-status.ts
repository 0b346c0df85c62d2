import { z } from 'zod';

/** The seed's recorder statuses. */
export const RECORDER_STATUSES = [
  'STOPPED', // not recording
  'STARTING', // started; the first poll has not run yet
  'RUNNING', // recording, waiting for the next poll
  'POLLING', // fetching from Betfair
  'WRITING', // writing the poll's files
  'AUTH_ERROR', // the Betfair session is missing, invalid or expired
] as const;
export type RecorderStatus = (typeof RECORDER_STATUSES)[number];
export const RecorderStatusSchema = z.enum(RECORDER_STATUSES);

/** Statuses in which the scheduler's poll records; POLLING/WRITING are left by a poll that died. */
export function isRecording(status: RecorderStatus): boolean {
  return status !== 'STOPPED' && status !== 'AUTH_ERROR';
}

/** Whether a poll owns the status right now (it set it and must set it back). */
export function isBusy(status: RecorderStatus): boolean {
  return status === 'POLLING' || status === 'WRITING';
}

import { isBusy, isRecording, type RecorderStatus } from './recorder-status.js';
import { startDay, withError, withLog, type RecorderState } from './recorder-state.js';

/** Seconds of slack so a scheduler tick a little early still polls. */
const DUE_SLACK_SECONDS = 30;

/** Whether a poll may start now, and why not. */
export type PollGate = { start: true } | { start: false; reason: string };

/** What the recorder's state allows: scheduled polls only while recording and when due. */
export function pollGate(
  state: RecorderState,
  now: Date,
  intervalSeconds: number,
  force: boolean,
): PollGate {
  if (force) return { start: true };
  if (state.status === 'AUTH_ERROR') {
    return { start: false, reason: 'Waiting for a new Betfair session (POST /api/config)' };
  }
  if (!isRecording(state.status)) return { start: false, reason: 'Recorder is STOPPED' };
  const last = state.lastPoll ? Date.parse(state.lastPoll) : 0;
  if (now.getTime() - last < (intervalSeconds - DUE_SLACK_SECONDS) * 1000) {
    return { start: false, reason: `Next poll is due ${intervalSeconds} s after the last` };
  }
  return { start: true };
}

/** The state as a poll starts: POLLING, with the daily state reset on a new UTC day. */
export function beginPoll(state: RecorderState, date: string, now: Date): RecorderState {
  const today =
    state.date === date
      ? state
      : withLog(startDay(state, date), now, 'info', `New day ${date}: daily state reset`);
  return { ...today, status: 'POLLING' };
}

/** Where a poll leaves the status: STOPPED for a manual poll of a stopped recorder. */
export function statusAfterPoll(startedFrom: RecorderStatus): RecorderStatus {
  return startedFrom === 'STOPPED' ? 'STOPPED' : 'RUNNING';
}

/** Sets the status a poll moved to, unless someone changed it meanwhile (a stop, a new session). */
export function pollStatus(state: RecorderState, status: RecorderStatus): RecorderState {
  return isBusy(state.status) ? { ...state, status } : state;
}

/** AUTH_ERROR with the reason, so scheduled polls wait for a new session. */
export function authError(state: RecorderState, now: Date, message: string): RecorderState {
  return { ...withError(state, now, 'AUTH_ERROR', message), status: 'AUTH_ERROR' };
}

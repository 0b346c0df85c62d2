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

/** Most activity-log entries kept (newest last). */
export const MAX_LOG_ENTRIES = 200;
/** Most errors kept (newest last). */
export const MAX_ERRORS = 50;

/** The seed's counters and the stream files', reset with the day. */
export interface RecorderStats {
  total_polls: number;
  total_markets_recorded: number;
  total_books_recorded: number;
  total_gcs_writes: number;
  gcs_errors: number;
  api_errors: number;
  markets_cached: number;
  books_cached: number;
  /** Lines appended to the markets' stream files (one per market and poll it changed in). */
  total_stream_lines: number;
  /** Closed markets' stream files written under `<base>/stream/`. */
  total_streams_filed: number;
}

/** Object store writes: the stored half of the seed's `gcs` block. */
export interface GcsCounters {
  writes: number;
  errors: number;
  last_error: string | null;
}

/** One line of the activity log. */
export interface LogEntry {
  timestamp: string;
  level: 'info' | 'warning' | 'error';
  message: string;
}

/** One recorded failure. */
export interface ErrorEntry {
  timestamp: string;
  type: string;
  message: string;
}

/** The `recorder/state` document. */
export interface RecorderState {
  status: RecorderStatus;
  /** The UTC day being recorded, YYYY-MM-DD. */
  date: string | null;
  lastPoll: string | null;
  pollCount: number;
  stats: RecorderStats;
  gcs: GcsCounters;
  lastCataloguePath: string | null;
  lastBooksPath: string | null;
  lastKeepAlive: string | null;
  errors: ErrorEntry[];
  log: LogEntry[];
  /**
   * The lease holder of the poll that last began: the fence a poll's end checks, so a poll
   * that outlived its lease cannot set the status or paths over a newer one.
   */
  pollHolder: string | null;
}

/** Counters at zero. */
export function emptyStats(): RecorderStats {
  return {
    total_polls: 0,
    total_markets_recorded: 0,
    total_books_recorded: 0,
    total_gcs_writes: 0,
    gcs_errors: 0,
    api_errors: 0,
    markets_cached: 0,
    books_cached: 0,
    total_stream_lines: 0,
    total_streams_filed: 0,
  };
}

/** A recorder that has never run. */
export function initialState(status: RecorderStatus = 'STOPPED'): RecorderState {
  return {
    status,
    date: null,
    lastPoll: null,
    pollCount: 0,
    stats: emptyStats(),
    gcs: { writes: 0, errors: 0, last_error: null },
    lastCataloguePath: null,
    lastBooksPath: null,
    lastKeepAlive: null,
    errors: [],
    log: [],
    pollHolder: null,
  };
}

/** A new UTC day: counters and paths start again; the log, errors and session carry over. */
export function startDay(state: RecorderState, date: string): RecorderState {
  return {
    ...state,
    date,
    pollCount: 0,
    stats: emptyStats(),
    gcs: { writes: 0, errors: 0, last_error: null },
    lastCataloguePath: null,
    lastBooksPath: null,
  };
}

/** Appends to the activity log, keeping the newest MAX_LOG_ENTRIES. */
export function withLog(
  state: RecorderState,
  at: Date,
  level: LogEntry['level'],
  message: string,
): RecorderState {
  const entry = { timestamp: at.toISOString(), level, message };
  return { ...state, log: [...state.log, entry].slice(-MAX_LOG_ENTRIES) };
}

/** Records a failure in the errors list and the log. */
export function withError(
  state: RecorderState,
  at: Date,
  type: string,
  message: string,
): RecorderState {
  const entry = { timestamp: at.toISOString(), type, message };
  const errors = [...state.errors, entry].slice(-MAX_ERRORS);
  return withLog({ ...state, errors }, at, 'error', message);
}

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

/**
 * The state as a poll held by `holder` starts: POLLING, with the daily state reset on a new
 * UTC day.
 */
export function beginPoll(
  state: RecorderState,
  date: string,
  now: Date,
  holder: string,
): RecorderState {
  const today =
    state.date === date
      ? state
      : withLog(startDay(state, date), now, 'info', `New day ${date}: daily state reset`);
  return { ...today, status: 'POLLING', pollHolder: holder };
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

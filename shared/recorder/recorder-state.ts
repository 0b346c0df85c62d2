import type { RecorderStatus } from './recorder-status.js';

/** Most activity-log entries kept (newest last). */
export const MAX_LOG_ENTRIES = 200;
/** Most errors kept (newest last). */
export const MAX_ERRORS = 50;

/** The seed's counters, reset with the day. */
export interface RecorderStats {
  total_polls: number;
  total_markets_recorded: number;
  total_books_recorded: number;
  total_gcs_writes: number;
  gcs_errors: number;
  api_errors: number;
  markets_cached: number;
  books_cached: number;
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

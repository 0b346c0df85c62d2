import { BetfairError } from '../betfair/betfair-errors.js';
import type { RecorderStatus } from './recorder-status.js';
import { withError, withLog, type RecorderState } from './recorder-state.js';
import { authError, pollStatus, statusAfterPoll } from './poll-state.js';

/** What one poll did, for the state document. */
export interface PollReport {
  at: Date;
  startedFrom: RecorderStatus;
  markets: number;
  books: number;
  /** Books in the feed's latest snapshot. */
  booksCached: number;
  writes: number;
  cataloguePath?: string;
  booksPath?: string;
  keptAlive: boolean;
  apiFailures: string[];
  gcsFailures: string[];
  /** Set when Betfair refused the session: recording stops until a new one is saved. */
  sessionFailure?: string;
}

/** A new, empty report. */
export function newReport(at: Date, startedFrom: RecorderStatus): PollReport {
  return {
    at,
    startedFrom,
    markets: 0,
    books: 0,
    booksCached: 0,
    writes: 0,
    keptAlive: false,
    apiFailures: [],
    gcsFailures: [],
  };
}

/** Files a Betfair failure: a session failure stops recording, anything else is counted. */
export function noteApiFailure(report: PollReport, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof BetfairError && error.needsNewSession) report.sessionFailure = message;
  else report.apiFailures.push(message);
}

/** The state after a poll: counters, paths, errors, the log line and the next status. */
export function finishPoll(state: RecorderState, report: PollReport): RecorderState {
  const { at } = report;
  const pollCount = state.pollCount + 1;
  let next: RecorderState = {
    ...state,
    lastPoll: at.toISOString(),
    pollCount,
    lastKeepAlive: report.keptAlive ? at.toISOString() : state.lastKeepAlive,
    lastCataloguePath: report.cataloguePath ?? state.lastCataloguePath,
    lastBooksPath: report.booksPath ?? state.lastBooksPath,
    stats: {
      total_polls: state.stats.total_polls + 1,
      total_markets_recorded: state.stats.total_markets_recorded + report.markets,
      total_books_recorded: state.stats.total_books_recorded + report.books,
      total_gcs_writes: state.stats.total_gcs_writes + report.writes,
      gcs_errors: state.stats.gcs_errors + report.gcsFailures.length,
      api_errors: state.stats.api_errors + report.apiFailures.length,
      markets_cached: report.cataloguePath ? report.markets : state.stats.markets_cached,
      books_cached: report.booksCached,
    },
    gcs: {
      writes: state.gcs.writes + report.writes,
      errors: state.gcs.errors + report.gcsFailures.length,
      last_error: report.gcsFailures.at(-1) ?? state.gcs.last_error,
    },
  };
  for (const message of report.apiFailures) next = withError(next, at, 'API_ERROR', message);
  for (const message of report.gcsFailures) next = withError(next, at, 'GCS_ERROR', message);
  if (report.sessionFailure) return authError(next, at, report.sessionFailure);
  const summary = `Poll #${pollCount} complete: ${report.markets} markets, ${report.books} books`;
  const failures = report.apiFailures.length + report.gcsFailures.length;
  next = withLog(
    next,
    at,
    failures > 0 ? 'warning' : 'info',
    failures > 0 ? `${summary} (${failures} errors)` : summary,
  );
  return pollStatus(next, statusAfterPoll(report.startedFrom));
}

import { randomUUID } from 'node:crypto';
import type { BetfairClient, FailedRequest } from '../../betfair/client.js';
import { BetfairError } from '../../betfair/errors.js';
import type { MarketBook, MarketCatalogue } from '../../betfair/market-schemas.js';
import { type Deadline, deadlineIn } from '../../betfair/transport.js';
import {
  betfairClient,
  type RecorderDeps,
  loadSettings,
  POLL_TIMING,
  replaceStaleSession,
  SCHEDULE_INTERVAL_MS,
} from './deps.js';
import {
  latestBooks,
  publishSnapshot,
  recordPath,
  utcDate,
  type DataType,
  toNdjson,
  writeObject,
} from './files.js';
import { extraPollOffsets, MIN_EXTRA_POLL_MS, marketsNearOff } from './cadence.js';
import {
  applyBooks,
  bookPriceProjection,
  type KnownMarket,
  marketsToPoll,
  mergeCatalogue,
  fetchBooks,
  fetchCatalogue,
} from './markets.js';
import { type RecorderSettings, credentialsOf } from './settings.js';
import {
  appendBooks,
  closeAll,
  closeFinished,
  streamHeads,
  type StreamWrites,
} from './stream/record-streams.js';
import type { StreamHead, StreamTarget } from './stream/stream-files.js';
import {
  type RecorderStatus,
  withError,
  withLog,
  type RecorderState,
  authError,
  pollStatus,
  statusAfterPoll,
  beginPoll,
  pollGate,
  type PollGate,
  initialState,
} from './state.js';

/** What one poll did, for the state document. */
export interface PollReport {
  at: Date;
  startedFrom: RecorderStatus;
  markets: number;
  books: number;
  /** Books in the feed's latest snapshot. */
  booksCached: number;
  /** NDJSON files written (the seed's count; stream parts are counted in streamLines). */
  writes: number;
  cataloguePath?: string;
  booksPath?: string;
  keptAlive: boolean;
  /** Every failed Betfair request attempt, retried ones included, and why. */
  apiFailures: string[];
  gcsFailures: string[];
  /** Set when Betfair refused the session: recording stops until a new one is saved. */
  sessionFailure?: string;
  /** Set when the poll ended after its lease: a newer poll owns the snapshot and the status. */
  late?: string;
  /** Lines appended to stream files. */
  streamLines: number;
  /** Stream files compressed by this poll. */
  streamsClosed: string[];
  /** Extra polls of the faster cadence that fetched books. */
  extraPolls: number;
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
    streamLines: 0,
    streamsClosed: [],
    extraPolls: 0,
  };
}

/** Files a Betfair failure: a session failure stops recording, anything else is counted. */
export function noteApiFailure(report: PollReport, error: unknown, retried = false): void {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof BetfairError && error.needsNewSession) report.sessionFailure = message;
  else report.apiFailures.push(retried ? `${message} (retried)` : message);
}

/**
 * The state after a poll: counters, paths, errors, the log line and the next status. A late
 * poll (one a newer poll has begun after) adds its counts and errors only: what it wrote stays
 * written, but the newer poll's status, paths and time are left alone.
 */
export function finishPoll(
  state: RecorderState,
  report: PollReport,
  holder?: string,
): RecorderState {
  const { at } = report;
  const late = holder !== undefined && state.pollHolder !== holder;
  const pollCount = state.pollCount + (late ? 0 : 1);
  let next: RecorderState = {
    ...state,
    lastPoll: late ? state.lastPoll : at.toISOString(),
    pollCount,
    lastKeepAlive: report.keptAlive && !late ? at.toISOString() : state.lastKeepAlive,
    lastCataloguePath: late
      ? state.lastCataloguePath
      : (report.cataloguePath ?? state.lastCataloguePath),
    lastBooksPath: late ? state.lastBooksPath : (report.booksPath ?? state.lastBooksPath),
    stats: {
      total_polls: state.stats.total_polls + 1,
      total_markets_recorded: state.stats.total_markets_recorded + report.markets,
      total_books_recorded: state.stats.total_books_recorded + report.books,
      total_gcs_writes: state.stats.total_gcs_writes + report.writes,
      gcs_errors: state.stats.gcs_errors + report.gcsFailures.length,
      api_errors: state.stats.api_errors + report.apiFailures.length,
      markets_cached: report.cataloguePath && !late ? report.markets : state.stats.markets_cached,
      books_cached: late ? state.stats.books_cached : report.booksCached,
      total_stream_lines: state.stats.total_stream_lines + report.streamLines,
      total_streams_filed: state.stats.total_streams_filed + report.streamsClosed.length,
    },
    gcs: {
      writes: state.gcs.writes + report.writes,
      errors: state.gcs.errors + report.gcsFailures.length,
      last_error: report.gcsFailures.at(-1) ?? state.gcs.last_error,
    },
  };
  for (const [message, count] of countedMessages(report.apiFailures)) {
    next = withError(next, at, 'API_ERROR', count > 1 ? `${message} (${count} requests)` : message);
  }
  for (const message of report.gcsFailures) next = withError(next, at, 'GCS_ERROR', message);
  const lateNote = late
    ? (report.late ?? 'Poll outlived its lease; a newer poll owns the state')
    : undefined;
  if (lateNote) return withError(next, at, 'POLL_LATE', lateNote);
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

/**
 * Failures with the same message, once each with how many there were: a deadline that cuts
 * off a hundred book requests is one line in the errors list, not a hundred.
 */
function countedMessages(messages: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of messages) counts.set(message, (counts.get(message) ?? 0) + 1);
  return counts;
}

/** Betfair sessions last hours if kept alive; the seed keeps them alive every 15 minutes. */
const KEEP_ALIVE_EVERY_MS = 15 * 60 * 1000;

/** One poll, once the lease is held and the state says POLLING. */
export interface PollContext {
  deps: RecorderDeps;
  settings: RecorderSettings;
  credentials: { appKey: string; ssoid: string };
  state: RecorderState;
  at: Date;
  startedFrom: RecorderStatus;
  /** The lease holder this poll runs as. */
  holder: string;
  /** When every Betfair request of this poll must have ended. */
  deadline: Deadline;
}

/**
 * The seed's cycle: keep-alive when due, the day's catalogue, books of every market seen today
 * until it has CLOSED, the NDJSON files, the feed's snapshot, and the day's market list. A
 * failed step is noted in the report and the rest still runs with what was fetched. Every
 * Betfair request ends by the poll's deadline, and every failed attempt, retried or not, is
 * counted; the snapshot and the market list are written only while the lease is still held.
 */
export async function pollCycle(context: PollContext): Promise<PollReport> {
  const { deps, settings, at } = context;
  const report = newReport(at, context.startedFrom);
  const counted = new WeakSet<Error>();
  const onFailedRequest = ({ error, retried }: FailedRequest) => {
    counted.add(error);
    noteApiFailure(report, error, retried);
  };
  const uncounted = (error: unknown) => {
    if (!(error instanceof Error && counted.has(error))) noteApiFailure(report, error);
  };
  const client = betfairClient(deps, settings, context.credentials, {
    deadline: context.deadline,
    onFailedRequest,
  });
  await keepAliveIfDue(client, context.state, report, uncounted);
  if (report.sessionFailure) return report;
  const date = utcDate(at);
  let known = await deps.state.readMarkets(date);
  const catalogue = await fetchCatalogue(client, settings, at).catch((error: unknown) => {
    uncounted(error);
    return undefined;
  });
  if (report.sessionFailure) return report;
  if (catalogue) known = mergeCatalogue(known, catalogue);
  const fetched = await fetchBooks(client, marketsToPoll(known), settings);
  fetched.failures.forEach(uncounted);
  known = applyBooks(known, fetched.answered, fetched.books);
  await deps.state.update((state) =>
    state.pollHolder === context.holder ? pollStatus(state, 'WRITING') : undefined,
  );
  await writeRecords(context, report, catalogue, fetched.books);
  const streams: Streams = { heads: streamHeads(deps.objectStore, settings), catalogue };
  known = await recordStreams(context, report, streams, known, fetched.books, at);
  const latest = new Map(fetched.books.map((book) => [book.marketId, book]));
  known = await pollNearOff(context, client, report, streams, known, latest, uncounted);
  known = noteStreams(report, await closeFinished(streamTarget(context), known));
  if (report.streamLines > 0 || report.streamsClosed.length > 0) {
    deps.logger.info('stream files written', {
      lines: report.streamLines,
      extraPolls: report.extraPolls,
      filed: report.streamsClosed,
    });
  }
  if (!(await stillHeld(context, report))) return report;
  await publish(context, report, known, catalogue, [...latest.values()]);
  await deps.state.writeMarkets(date, known);
  return report;
}

/** What one invocation carries between its polls' stream writes. */
interface Streams {
  heads: Map<string, StreamHead>;
  catalogue: readonly MarketCatalogue[] | undefined;
}

function streamTarget({ deps, settings }: PollContext): StreamTarget {
  return { store: deps.objectStore, bucket: settings.bucket, basePath: settings.basePath };
}

/** Appends the books to their markets' stream files, with `pt` the time they were polled. */
async function recordStreams(
  context: PollContext,
  report: PollReport,
  streams: Streams,
  known: KnownMarket[],
  books: readonly MarketBook[],
  polledAt: Date,
): Promise<KnownMarket[]> {
  const writes = await appendBooks(
    streamTarget(context),
    known,
    {
      books,
      catalogue: streams.catalogue,
      prices: bookPriceProjection(context.settings),
      pt: polledAt.getTime(),
    },
    streams.heads,
  );
  return noteStreams(report, writes);
}

function noteStreams(report: PollReport, writes: StreamWrites): KnownMarket[] {
  report.streamLines += writes.lines;
  for (const closed of writes.closed)
    if (closed.written && closed.name) report.streamsClosed.push(closed.name);
  report.gcsFailures.push(...writes.failures);
  return writes.known;
}

/**
 * The faster cadence: markets near their off are polled again within the minute, at the
 * offsets extraPollOffsets allows before the deadline, each poll's books written as a books
 * file and to the stream files as the scheduled poll's are. `latest` ends with each market's
 * newest book, for the feed.
 */
async function pollNearOff(
  context: PollContext,
  client: BetfairClient,
  report: PollReport,
  streams: Streams,
  known: KnownMarket[],
  latest: Map<string, MarketBook>,
  onError: (error: unknown) => void,
): Promise<KnownMarket[]> {
  const { deps, settings, at } = context;
  const timing = deps.pollTiming ?? POLL_TIMING;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  for (const offset of extraPollOffsets(
    settings.cadence,
    SCHEDULE_INTERVAL_MS,
    timing.deadlineMs,
  )) {
    const wait = at.getTime() + offset - deps.now().getTime();
    if (wait > context.deadline.remainingMs() - MIN_EXTRA_POLL_MS) break;
    const near = marketsNearOff(known, deps.now(), settings.cadence.minutes);
    if (near.length === 0) break;
    if (wait > 0) await sleep(wait);
    const polledAt = deps.now();
    const fetched = await fetchBooks(client, marketsToPoll(near), settings);
    fetched.failures.forEach(onError);
    if (report.sessionFailure) break;
    known = applyBooks(known, fetched.answered, fetched.books);
    if (fetched.books.length === 0) continue;
    report.extraPolls += 1;
    const path = await writeRecordFile(
      { ...context, at: polledAt },
      report,
      'books',
      fetched.books,
    );
    if (path) {
      report.booksPath = path;
      report.books += fetched.books.length;
    }
    for (const book of fetched.books) latest.set(book.marketId, book);
    known = await recordStreams(context, report, streams, known, fetched.books, polledAt);
  }
  return known;
}

/**
 * Whether this poll still holds its lease. A poll that outlived it keeps the files it wrote
 * (named by its own start time) but leaves the snapshot and the market list to the newer poll.
 */
async function stillHeld(context: PollContext, report: PollReport): Promise<boolean> {
  if (await context.deps.lease.holds(context.holder, context.deps.now())) return true;
  report.late =
    `Poll of ${context.at.toISOString()} outlived its lease: its files were written, ` +
    'the snapshot and market list were left to the newer poll';
  return false;
}

async function keepAliveIfDue(
  client: BetfairClient,
  state: RecorderState,
  report: PollReport,
  onError: (error: unknown) => void,
): Promise<void> {
  const last = state.lastKeepAlive ? Date.parse(state.lastKeepAlive) : 0;
  if (report.at.getTime() - last < KEEP_ALIVE_EVERY_MS) return;
  try {
    await client.keepAlive();
    report.keptAlive = true;
  } catch (error) {
    onError(error);
  }
}

async function writeRecords(
  context: PollContext,
  report: PollReport,
  catalogue: readonly MarketCatalogue[] | undefined,
  books: readonly MarketBook[],
): Promise<void> {
  if (catalogue?.length) {
    report.cataloguePath = await writeRecordFile(context, report, 'catalogue', catalogue);
    if (report.cataloguePath) report.markets = catalogue.length;
  }
  if (books.length > 0) {
    report.booksPath = await writeRecordFile(context, report, 'books', books);
    if (report.booksPath) report.books = books.length;
  }
}

async function writeRecordFile(
  { deps, settings, at }: PollContext,
  report: PollReport,
  dataType: DataType,
  records: readonly object[],
): Promise<string | undefined> {
  const name = recordPath(settings.basePath, dataType, at);
  try {
    const bytes = toNdjson(records, dataType, at);
    await writeObject(deps.objectStore, settings.bucket, name, bytes, 'application/x-ndjson');
    report.writes += 1;
    return name;
  } catch (error) {
    report.gcsFailures.push(`Writing ${name} failed: ${errorMessage(error)}`);
    return undefined;
  }
}

async function publish(
  { deps, settings }: PollContext,
  report: PollReport,
  known: Parameters<typeof latestBooks>[1],
  catalogue: readonly MarketCatalogue[] | undefined,
  books: readonly MarketBook[],
): Promise<void> {
  const target = { store: deps.objectStore, bucket: settings.bucket, basePath: settings.basePath };
  try {
    const latest = await latestBooks(target, known, books);
    await publishSnapshot(target, latest, catalogue);
    report.booksCached = latest.length;
  } catch (error) {
    report.gcsFailures.push(`Publishing the latest snapshot failed: ${errorMessage(error)}`);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a poll invocation did. */
export interface PollResult {
  outcome: 'polled' | 'skipped' | 'idle' | 'auth_error';
  message: string;
}

/**
 * Runs one poll under the lease. Scheduled polls (`force` false) run only while recording and
 * when due; a manual poll runs whatever the status. A second poll while one holds the lease is
 * skipped. The poll's Betfair requests all end by its deadline, well inside the lease.
 */
export async function runPoll(deps: RecorderDeps, force: boolean): Promise<PollResult> {
  const holder = randomUUID();
  const at = deps.now();
  const timing = deps.pollTiming ?? POLL_TIMING;
  const deadline = deadlineIn(timing.deadlineMs);
  if (!(await deps.lease.acquire(holder, at, timing.leaseTtlMs))) {
    return { outcome: 'skipped', message: 'Another poll is in progress' };
  }
  try {
    return await gatedPoll(deps, { at, force, holder, deadline });
  } finally {
    await deps.lease.release(holder);
  }
}

async function gatedPoll(
  deps: RecorderDeps,
  run: { at: Date; force: boolean; holder: string; deadline: Deadline },
): Promise<PollResult> {
  const { at, force, holder } = run;
  const settings = await loadSettings(deps);
  const credentials = credentialsOf(settings);
  const date = utcDate(at);
  const decision = {
    gate: { start: false, reason: '' } as PollGate,
    startedFrom: 'STOPPED' as RecorderStatus,
  };
  const state = await deps.state.update((current, exists) => {
    const base = exists
      ? current
      : initialState(deps.config.recorder.autostart ? 'RUNNING' : 'STOPPED');
    decision.gate = pollGate(base, at, settings.pollIntervalSeconds, force);
    if (!decision.gate.start) return exists ? undefined : base;
    decision.startedFrom = base.status;
    if (!credentials) return authError(base, at, NO_CREDENTIALS);
    return beginPoll(base, date, at, holder);
  });
  if (!decision.gate.start) return { outcome: 'idle', message: decision.gate.reason };
  if (!credentials) return { outcome: 'auth_error', message: NO_CREDENTIALS };
  for (const ended of await deps.state.daysBefore(date)) await closeDay(deps, settings, ended);
  const context: PollContext = {
    deps,
    settings,
    credentials,
    state,
    at,
    startedFrom: decision.startedFrom,
    holder,
    deadline: run.deadline,
  };
  try {
    const report = await pollWithWorkingSession(context);
    const final = await deps.state.update((current) => finishPoll(current, report, holder));
    const message = final.log.at(-1)?.message ?? 'Poll complete';
    return { outcome: report.sessionFailure ? 'auth_error' : 'polled', message };
  } catch (error) {
    await restoreAfterCrash(deps, decision.startedFrom, error);
    throw error;
  }
}

/**
 * The cycle, run again once with the configured session when Betfair refused a stored one
 * that a newer configured session replaces (see replaceStaleSession).
 */
async function pollWithWorkingSession(context: PollContext): Promise<PollReport> {
  const report = await pollCycle(context);
  if (!report.sessionFailure) return report;
  const { deps, settings, credentials, deadline } = context;
  const working = await replaceStaleSession(deps, settings, credentials, { deadline });
  return working ? pollCycle({ ...context, credentials: working }) : report;
}

/**
 * A new UTC day drops the previous day's market list; the streams it still had open are
 * compressed first, so none is left behind. When a close fails the failure is logged and that
 * day's list is kept rather than deleted, so the next poll tries its open markets again.
 */
async function closeDay(
  deps: RecorderDeps,
  settings: RecorderSettings,
  date: string,
): Promise<void> {
  const target = { store: deps.objectStore, bucket: settings.bucket, basePath: settings.basePath };
  const closed = await closeAll(target, await deps.state.readMarkets(date));
  if (closed.failures.length > 0) {
    deps.logger.warn("closing the previous day's streams failed", { failures: closed.failures });
    return;
  }
  await deps.state.deleteMarkets(date);
}

const NO_CREDENTIALS =
  'No Betfair app key or session: save betfair_app_key and betfair_ssoid with POST /api/config';

/** A poll that failed unexpectedly (storage of state down) must not leave POLLING behind. */
async function restoreAfterCrash(
  deps: RecorderDeps,
  startedFrom: RecorderStatus,
  error: unknown,
): Promise<void> {
  const message = `Poll failed: ${error instanceof Error ? error.message : String(error)}`;
  deps.logger.error('recorder poll failed', { error });
  await deps.state
    .update((state) =>
      pollStatus(
        withError(state, deps.now(), 'POLL_FAILED', message),
        statusAfterPoll(startedFrom),
      ),
    )
    .catch(() => undefined);
}

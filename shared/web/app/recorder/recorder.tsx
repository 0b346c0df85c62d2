import { useState } from 'preact/hooks';
import { getJson, messageOf, postJson } from '../api.js';
import { formatNumber, formatTime } from '../format.js';
import { usePolling } from '../hooks.js';
import { marketHref } from '../markets/market-viewer.js';
import { ErrorNote, StateBadge, TableHead } from '../ui.js';
import { RecorderSettings, type RecorderConfig } from './settings.js';

const STATE_MS = 5000;

interface MarketRow {
  marketId: string;
  marketName: string;
  marketStartTime: string;
  venue: string;
  event: string;
  runners: number;
  status: string;
  inPlay: boolean;
  totalMatched: number;
  minutesToOff: number;
  hasBookData: boolean;
  /** The filed stream file in the recorder's bucket; null while the market is open. */
  streamFile: string | null;
}

interface RecorderState {
  status: string;
  authenticated: boolean;
  date: string | null;
  lastPoll: string | null;
  pollCount: number;
  pollInterval: number;
  stats: Record<string, number>;
  gcs: {
    bucket: string;
    base_path: string;
    writes: number;
    errors: number;
    last_error: string | null;
  };
  lastCataloguePath: string | null;
  lastBooksPath: string | null;
  markets: MarketRow[];
  errors: { message: string; count?: number }[];
  log: { timestamp: string; level: string; message: string }[];
  config: RecorderConfig;
}

interface FeedBook {
  marketId: string;
  runners: {
    selectionId: number;
    status: string;
    lastPriceTraded?: number;
    ex?: { availableToBack?: { price: number }[]; availableToLay?: { price: number }[] };
  }[];
}

/** The favourite: the active runner with the shortest best back price (else last traded). */
function favourite(book: FeedBook | undefined): { back?: number; lay?: number } | undefined {
  const runners = (book?.runners ?? []).filter((r) => r.status === 'ACTIVE');
  const price = (r: FeedBook['runners'][number]) =>
    r.ex?.availableToBack?.[0]?.price ?? r.lastPriceTraded ?? Number.POSITIVE_INFINITY;
  const best = runners.sort((a, b) => price(a) - price(b))[0];
  if (!best) return undefined;
  return { back: best.ex?.availableToBack?.[0]?.price, lay: best.ex?.availableToLay?.[0]?.price };
}

/** The lamp: green while recording with a working session, amber when stopped, red on errors. */
function Lamp({ state }: { state: RecorderState }) {
  const tone =
    state.status === 'AUTH_ERROR' || !state.authenticated
      ? 'red'
      : state.status === 'STOPPED'
        ? 'amber'
        : 'green';
  const words = { red: 'Betfair session not working', amber: 'Not recording', green: 'Recording' };
  return (
    <p class="lamp" role="status">
      <span class={`dot ${tone}`} aria-hidden="true" /> {words[tone]} —{' '}
      <StateBadge state={state.status} />
    </p>
  );
}

const MAX_BOOKS = 100;

/**
 * A market's price history: from its filed stream file, or, while it is open, from the lines
 * recorded so far.
 */
function chartHref(market: MarketRow, bucket: string): string {
  const { marketId, streamFile } = market;
  return marketHref(
    streamFile === null ? { marketId, recorded: true } : { marketId, bucket, object: streamFile },
  );
}

function MarketsTable({ markets, bucket }: { markets: MarketRow[]; bucket: string }) {
  const [showClosed, setShowClosed] = useState(false);
  const shown = markets
    .filter((m) => showClosed || m.status !== 'CLOSED')
    .sort((a, b) => a.marketStartTime.localeCompare(b.marketStartTime));
  const ids = shown.slice(0, MAX_BOOKS).map((m) => m.marketId);
  const books = usePolling(
    async () =>
      ids.length === 0
        ? new Map<string, FeedBook>()
        : new Map(
            (await postJson<FeedBook[]>('/api/feed/books', { market_ids: ids })).map((b) => [
              b.marketId,
              b,
            ]),
          ),
    STATE_MS,
    ids.join(','),
  );
  return (
    <section class="panel" aria-labelledby="markets-heading">
      <h2 id="markets-heading">Markets ({shown.length})</h2>
      <label class="check">
        <input
          type="checkbox"
          checked={showClosed}
          onChange={(e) => setShowClosed(e.currentTarget.checked)}
        />
        Show closed markets
      </label>
      <div class="scroll">
        <table class="markets">
          <TableHead
            caption="Today’s markets by start time"
            columns={[
              'Start (UTC)',
              'To the off',
              'Venue',
              'Market',
              'Status',
              'In play',
              'Matched',
              'Fav. back',
              'Fav. lay',
              'Chart',
            ]}
          />
          <tbody>
            {shown.map((m) => {
              const fav = favourite(books.data?.get(m.marketId));
              const start = formatTime(m.marketStartTime).slice(11, 16);
              // Two races at one course can share a name: the start time tells them apart.
              const title = `${m.venue} ${start} ${m.marketName}`;
              return (
                <tr key={m.marketId}>
                  <td>{start}</td>
                  <td>{m.minutesToOff >= 0 ? `${formatNumber(m.minutesToOff)} min` : 'off'}</td>
                  <td>{m.venue}</td>
                  <td>{m.marketName}</td>
                  <td>
                    <StateBadge state={m.status} />
                  </td>
                  <td>{m.inPlay ? 'yes' : 'no'}</td>
                  <td>{formatNumber(m.totalMatched)}</td>
                  <td>{fav?.back ?? '–'}</td>
                  <td>{fav?.lay ?? '–'}</td>
                  <td>
                    <a href={`#${chartHref(m, bucket)}`} aria-label={`Price history of ${title}`}>
                      chart
                    </a>{' '}
                    <a
                      href={`#/markets?live=${encodeURIComponent(m.marketId)}`}
                      aria-label={`Book of ${title}`}
                    >
                      book
                    </a>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The recorder: lamp, start/stop/poll, stats, markets, settings and the activity log. */
export function RecorderDashboard() {
  const state = usePolling(() => getJson<RecorderState>('/api/state'), STATE_MS);
  const [tab, setTab] = useState<'markets' | 'settings' | 'log'>('markets');
  const [action, setAction] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const act = async (path: string) => {
    setBusy(true);
    setAction(undefined);
    try {
      const answer = await postJson<{ success?: boolean; message?: string }>(path);
      setAction({ ok: answer.success !== false, text: answer.message ?? 'done' });
      state.reload();
    } catch (failure) {
      setAction({ ok: false, text: messageOf(failure) });
    } finally {
      setBusy(false);
    }
  };
  const s = state.data;
  const tabs = [
    ['markets', 'Markets'],
    ['settings', 'Settings'],
    ['log', 'Log'],
  ] as const;
  return (
    <>
      <section class="panel" aria-labelledby="recorder-heading">
        <h2 id="recorder-heading">Live recorder</h2>
        <ErrorNote error={state.error} />
        {s && <Lamp state={s} />}
        <div class="buttons">
          <button type="button" disabled={busy} onClick={() => void act('/api/recorder/start')}>
            Start
          </button>
          <button type="button" disabled={busy} onClick={() => void act('/api/recorder/stop')}>
            Stop
          </button>
          <button type="button" disabled={busy} onClick={() => void act('/api/recorder/poll')}>
            Poll now
          </button>
        </div>
        {action && (
          <p role="status" class={action.ok ? 'ok' : 'error'}>
            {action.text}
          </p>
        )}
        {s && (
          <dl class="facts">
            <dt>Day</dt>
            <dd>{s.date ?? '–'}</dd>
            <dt>Last poll</dt>
            <dd>{formatTime(s.lastPoll)}</dd>
            <dt>Polls</dt>
            <dd>
              {s.pollCount} (every {s.pollInterval} s)
            </dd>
            {Object.entries(s.stats).map(([name, value]) => (
              <>
                <dt key={`t-${name}`}>{name.replace(/_/g, ' ')}</dt>
                <dd key={`d-${name}`}>{formatNumber(value)}</dd>
              </>
            ))}
            <dt>Writing to</dt>
            <dd>
              gs://{s.gcs.bucket}/{s.gcs.base_path} ({s.gcs.writes} writes, {s.gcs.errors} errors)
            </dd>
            <dt>Last books</dt>
            <dd>{s.lastBooksPath ?? '–'}</dd>
          </dl>
        )}
        {s && s.errors.length > 0 && (
          <ul class="warnings" aria-label="Recent errors">
            {s.errors.map((e, i) => (
              <li key={i}>
                {e.message}
                {e.count && e.count > 1 ? ` (×${e.count})` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
      <div role="tablist" aria-label="Recorder views" class="tabs">
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            onClick={() => setTab(id)}
            onKeyDown={(e) => {
              const i = tabs.findIndex(([t]) => t === id);
              const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (step === 0) return;
              const next = tabs[(i + step + tabs.length) % tabs.length]?.[0] ?? id;
              setTab(next);
              document.getElementById(`tab-${next}`)?.focus();
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'markets' && s && <MarketsTable markets={s.markets} bucket={s.gcs.bucket} />}
        {/* The settings form keeps its own draft: the 5-second refresh never replaces it. */}
        {tab === 'settings' && s && <RecorderSettings current={s.config} onSaved={state.reload} />}
        {tab === 'log' && s && (
          <section class="panel" aria-labelledby="rlog-heading">
            <h2 id="rlog-heading">Activity log</h2>
            <pre class="log" tabIndex={0} aria-label="Recorder log">
              {s.log
                .map((l) => `${formatTime(l.timestamp)} ${l.level.toUpperCase()} ${l.message}`)
                .join('\n')}
            </pre>
          </section>
        )}
      </div>
    </>
  );
}

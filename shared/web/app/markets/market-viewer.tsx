import { useEffect, useMemo, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { getJson, query } from '../api.js';
import { formatNumber, formatTime } from '../format.js';
import { navigate, usePolling } from '../hooks.js';
import { ErrorNote, Field, InputField, StateBadge, TableHead, trimmedText } from '../ui.js';
import { colourOf, TimeChart } from './chart.js';

interface IndexedMarket {
  marketId: string;
  eventName: string | null;
  venue: string | null;
  countryCode: string | null;
  marketType: string | null;
  marketTime: string | null;
  date: string | null;
  bucket: string;
  object: string;
}

interface Timeline {
  marketId: string;
  runners: { selectionId: number; handicap: number; name: string | null }[];
  samples: {
    time: string;
    status?: string;
    inplay?: boolean;
    runners?: {
      selectionId: number;
      handicap: number;
      ltp?: number | null;
      back?: number | null;
      lay?: number | null;
      tradedVolume?: number | null;
    }[];
  }[];
}

interface PriceSize {
  price: number;
  size: number;
}

interface Book {
  marketId: string;
  status: string;
  inplay: boolean;
  totalMatched?: number;
  publishTime?: number;
  momentTime?: string;
  marketDefinition?: {
    runners?: { id: number; name?: string }[];
    venue?: string;
    marketTime?: string;
    name?: string;
  };
  runners: {
    selectionId: number;
    status: string;
    lastPriceTraded?: number;
    totalMatched?: number;
    ex?: { availableToBack?: PriceSize[]; availableToLay?: PriceSize[] };
  }[];
}

/**
 * Where a market is read from: the index's entry, a bucket and object given by hand, or the
 * recorder's lines so far of a market it is still recording (`recorded`).
 */
interface Pick {
  marketId: string;
  bucket?: string;
  object?: string;
  recorded?: boolean;
}

function pickOf(params: URLSearchParams): Pick | undefined {
  const marketId = params.get('market');
  if (!marketId) return undefined;
  return {
    marketId,
    bucket: params.get('bucket') ?? undefined,
    object: params.get('object') ?? undefined,
    recorded: params.get('recorded') === 'open',
  };
}

/** The viewer's address of one market. */
export function marketHref(pick: Pick): string {
  const { marketId, bucket, object, recorded } = pick;
  return `/markets${query({ market: marketId, bucket, object, recorded: recorded ? 'open' : undefined })}`;
}

/** Markets the index holds (every job records its files' markets), by day, venue and type. */
function MarketPicker() {
  const [filters, setFilters] = useState({ date: '', venue: '', marketType: '' });
  const [file, setFile] = useState({ bucket: '', object: '' });
  const markets = usePolling(
    () => getJson<{ markets: IndexedMarket[] }>(`/api/markets${query({ ...filters, limit: 200 })}`),
    0,
    JSON.stringify(filters),
  );
  const filter = (name: keyof typeof filters) => trimmedText(filters, setFilters, name);
  const fileField = (name: keyof typeof file) => trimmedText(file, setFile, name);
  const marketOfObject = /(\d+\.\d+)(?:\.[a-z0-9]+)*$/.exec(
    file.object.split('/').pop() ?? '',
  )?.[1];
  return (
    <>
      <section class="panel" aria-labelledby="picker-heading">
        <h2 id="picker-heading">Markets read by jobs</h2>
        <div class="row">
          <InputField id="m-date" label="Day of the off" type="date" {...filter('date')} />
          <InputField id="m-venue" label="Venue" {...filter('venue')} />
          <InputField id="m-type" label="Market type" placeholder="WIN" {...filter('marketType')} />
        </div>
        <ErrorNote error={markets.error} />
        <div class="scroll">
          <table>
            <TableHead
              caption="Indexed markets"
              columns={['Market', 'Off (UTC)', 'Venue', 'Type', 'File']}
            />
            <tbody>
              {markets.data?.markets.map((m) => (
                <tr key={m.marketId}>
                  <td>
                    <a href={`#${marketHref({ marketId: m.marketId })}`}>{m.marketId}</a>
                  </td>
                  <td>{formatTime(m.marketTime)}</td>
                  <td>{m.venue ?? '–'}</td>
                  <td>{m.marketType ?? '–'}</td>
                  <td>
                    gs://{m.bucket}/{m.object}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {markets.data?.markets.length === 0 && (
          <p class="muted">
            No market matches: run a job over the files first, or open a file below.
          </p>
        )}
      </section>
      <form
        class="panel"
        aria-labelledby="file-heading"
        onSubmit={(e) => {
          e.preventDefault();
          if (marketOfObject) navigate(marketHref({ marketId: marketOfObject, ...file }));
        }}
      >
        <h2 id="file-heading">Any market file in a bucket</h2>
        <div class="row">
          <InputField id="f-bucket" label="Bucket" {...fileField('bucket')} />
          <InputField
            id="f-object"
            label="Object"
            hint="e.g. PRO/2022/Apr/19/31389771/1.197931750.bz2"
            {...fileField('object')}
          />
        </div>
        <button type="submit" disabled={!marketOfObject || file.bucket === ''}>
          Open {marketOfObject ?? 'market'}
        </button>
      </form>
    </>
  );
}

function Ladder({ book, names }: { book: Book; names: Map<number, string> }) {
  const levels = [0, 1, 2];
  return (
    <table class="ladder">
      <caption>
        Book at {formatTime(book.momentTime ?? book.publishTime)} —{' '}
        <StateBadge state={book.status} />
        {book.inplay ? ' in play' : ''}, matched {formatNumber(book.totalMatched)}
      </caption>
      <thead>
        <tr>
          <th scope="col">Runner</th>
          {levels.map((i) => (
            <th scope="col" key={`b${i}`} class="back">
              Back {3 - i}
            </th>
          ))}
          {levels.map((i) => (
            <th scope="col" key={`l${i}`} class="lay">
              Lay {i + 1}
            </th>
          ))}
          <th scope="col">Last traded</th>
          <th scope="col">Matched</th>
        </tr>
      </thead>
      <tbody>
        {book.runners.map((r) => {
          const back = r.ex?.availableToBack ?? [];
          const lay = r.ex?.availableToLay ?? [];
          const cell = (p: PriceSize | undefined) =>
            p ? `${p.price} (${formatNumber(p.size)})` : '';
          return (
            <tr key={r.selectionId}>
              <th scope="row">
                {names.get(r.selectionId) ?? r.selectionId}{' '}
                {r.status !== 'ACTIVE' && <StateBadge state={r.status} />}
              </th>
              {levels.map((i) => (
                <td key={`b${i}`} class="back">
                  {cell(back[2 - i])}
                </td>
              ))}
              {levels.map((i) => (
                <td key={`l${i}`} class="lay">
                  {cell(lay[i])}
                </td>
              ))}
              <td>{r.lastPriceTraded ?? '–'}</td>
              <td>{formatNumber(r.totalMatched)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** A file's last ten minutes before the off, at a chart's pace. */
const FILE_RANGE = { from: '-600s', every: '5s' };
/**
 * A market being recorded (polled every minute or faster): the last twelve hours, on a grid
 * that ends at the moment the page opened, so a market first polled a moment ago already has
 * a sample (a grid anchored at the off could have none after its first line).
 */
function recordingRange(): { from: string; every: string } {
  return { from: new Date(Date.now() - 12 * 3_600_000).toISOString(), every: '60s' };
}
/**
 * A file's timeline runs to its close; a market being recorded has none yet (once in play or
 * suspended not even a last OPEN book), so its timeline runs to now.
 */
function toOf(pick: Pick): string {
  return pick.recorded ? new Date().toISOString() : 'close';
}
/** A market being recorded gets a new line about every poll. */
const RECORDING_REFRESH_MS = 60_000;

/** One market: each runner's last traded price over time with the off marked, volume, the book. */
function MarketChart({ pick }: { pick: Pick }) {
  const [range, setRange] = useState(pick.recorded ? recordingRange : () => FILE_RANGE);
  // What the fields show while being edited: a refresh in the meantime must not undo the typing.
  const [draft, setDraft] = useState(range);
  const file = { bucket: pick.bucket, object: pick.object };
  /** Applied when the field is left or Enter is pressed, not at each key. */
  const rangeField = (name: keyof typeof range) => ({
    value: draft[name],
    onInput: (e: { currentTarget: HTMLInputElement }) =>
      setDraft((d) => ({ ...d, [name]: e.currentTarget.value })),
    onChange: (e: { currentTarget: HTMLInputElement }) =>
      setRange((r) => ({ ...r, [name]: e.currentTarget.value.trim() })),
  });
  const path = `${pick.recorded ? '/api/recorder/markets' : '/api/markets'}/${encodeURIComponent(pick.marketId)}`;
  const timeline = usePolling(
    () =>
      getJson<Timeline>(
        `${path}/timeline${query({ ...file, from: range.from, to: toOf(pick), every: range.every })}`,
      ),
    pick.recorded ? RECORDING_REFRESH_MS : 0,
    `${marketHref(pick)}/${range.from}/${range.every}`,
  );
  const samples = timeline.data?.samples ?? [];
  const [index, setIndex] = useState(0);
  useEffect(() => setIndex(Math.max(0, samples.length - 1)), [samples.length]);
  const at = samples[index]?.time;
  const [bookAt, setBookAt] = useState<string | undefined>(undefined);
  useEffect(() => {
    const timer = setTimeout(() => setBookAt(at), 150);
    return () => clearTimeout(timer);
  }, [at]);
  const book = usePolling(
    () =>
      bookAt
        ? getJson<Book>(`${path}/book${query({ ...file, at: bookAt })}`)
        : Promise.resolve(undefined),
    0,
    `${marketHref(pick)}/${bookAt}`,
  );

  const charts = useMemo(() => {
    const t = timeline.data;
    if (!t) return undefined;
    const times = t.samples.map((s) => Date.parse(s.time) / 1000);
    const key = (r: { selectionId: number; handicap: number }) => `${r.selectionId}/${r.handicap}`;
    const prices = t.runners.map((runner) =>
      t.samples.map((s) => s.runners?.find((r) => key(r) === key(runner))?.ltp ?? null),
    );
    const traded = t.samples.map((s) =>
      (s.runners ?? []).reduce((sum, r) => sum + (r.tradedVolume ?? 0), 0),
    );
    const volume = traded.map((v, i) => (i === 0 ? 0 : Math.max(0, v - (traded[i - 1] ?? 0))));
    const inPlayIndex = t.samples.findIndex((s) => s.inplay === true);
    const inPlay = inPlayIndex >= 0 ? times[inPlayIndex] : undefined;
    return {
      priceData: [times, ...prices] as uPlot.AlignedData,
      volumeData: [times, volume] as uPlot.AlignedData,
      series: t.runners.map((r, i) => ({
        label: r.name ?? String(r.selectionId),
        colour: colourOf(i),
      })),
      inPlay,
      names: new Map(t.runners.map((r) => [r.selectionId, r.name ?? String(r.selectionId)])),
    };
  }, [timeline.data]);
  const cursor = at === undefined ? undefined : Date.parse(at) / 1000;
  // The scheduled off from the market's definition, and the off as it happened (first in play).
  const scheduled = book.data?.marketDefinition?.marketTime;
  const marks = [
    ...(scheduled ? [{ time: Date.parse(scheduled) / 1000, label: 'scheduled off' }] : []),
    ...(charts?.inPlay === undefined ? [] : [{ time: charts.inPlay, label: 'in play' }]),
  ];

  return (
    <section class="panel" aria-labelledby="market-heading">
      <h2 id="market-heading">
        Market {pick.marketId}
        {book.data?.marketDefinition?.venue ? ` — ${book.data.marketDefinition.venue}` : ''}
        {book.data?.marketDefinition?.name ? ` ${book.data.marketDefinition.name}` : ''}
      </h2>
      <p>
        <a href="#/markets">Choose another market</a>
      </p>
      {pick.recorded && (
        <p class="muted">Being recorded: the lines written so far, read again each minute.</p>
      )}
      <div class="row">
        <InputField
          id="t-from"
          label="From"
          hint="-600s, -30m, off or an ISO time"
          {...rangeField('from')}
        />
        <InputField id="t-every" label="Every" hint="at least 1s" {...rangeField('every')} />
      </div>
      <ErrorNote error={timeline.error} />
      {!timeline.data && !timeline.error && <p role="status">Reading the market…</p>}
      {charts && (
        <>
          <TimeChart
            title="Last traded price (log scale)"
            data={charts.priceData}
            series={charts.series}
            logScale
            marks={marks}
            cursor={cursor}
          />
          <TimeChart
            title="Traded volume per interval"
            data={charts.volumeData}
            series={[{ label: 'Volume', colour: '#1f5fbf' }]}
            bars
            marks={marks}
            cursor={cursor}
            height={180}
          />
          <Field
            id="moment"
            label={`Book at ${formatTime(at)} (${index + 1} of ${samples.length})`}
          >
            <input
              id="moment"
              type="range"
              min={0}
              max={Math.max(0, samples.length - 1)}
              value={index}
              aria-valuetext={formatTime(at)}
              onInput={(e) => setIndex(Number(e.currentTarget.value))}
            />
          </Field>
          <ErrorNote error={book.error} />
          {book.data && <Ladder book={book.data} names={charts.names} />}
        </>
      )}
    </section>
  );
}

/** A market recorded today: its latest book from the feed (refreshed with each poll). */
function LiveBook({ marketId }: { marketId: string }) {
  const book = usePolling(
    () => getJson<Book[]>(`/api/feed/book/${encodeURIComponent(marketId)}`),
    15_000,
    marketId,
  );
  const first = book.data?.[0];
  return (
    <section class="panel" aria-labelledby="live-heading">
      <h2 id="live-heading">Recorded today: market {marketId}</h2>
      <p>
        <a href="#/recorder">Back to the recorder</a>
      </p>
      <ErrorNote error={book.error} />
      {first && <Ladder book={first} names={new Map()} />}
    </section>
  );
}

export function MarketViewer({ params }: { params: URLSearchParams }) {
  const live = params.get('live');
  if (live) return <LiveBook marketId={live} />;
  const pick = pickOf(params);
  return pick ? <MarketChart pick={pick} /> : <MarketPicker />;
}

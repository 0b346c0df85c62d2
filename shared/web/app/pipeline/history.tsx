import { useEffect, useState } from 'preact/hooks';
import { getJson, messageOf } from '../api.js';
import { formatNumber, formatSeconds, formatTime } from '../format.js';
import { usePolling } from '../hooks.js';
import { ErrorNote, Field, SelectField, StateBadge, TableHead } from '../ui.js';
import type { HistoryItem, JobOptions } from './types.js';

/** Jobs a page of history holds, newest first. */
const PAGE = 50;

interface HistoryPage {
  jobs: HistoryItem[];
  next: string | null;
}

/**
 * Jobs, newest first: state and process type filtered by the API (so older matches are found
 * too), a page at a time with "Show older"; the search looks through the jobs shown.
 */
export function History() {
  const options = usePolling(() => getJson<JobOptions>('/api/pipeline/options'), 0);
  const [state, setState] = useState('');
  const [processType, setProcessType] = useState('');
  const [text, setText] = useState('');
  const filters = new URLSearchParams({
    limit: String(PAGE),
    ...(state ? { status: state } : {}),
    ...(processType ? { processType } : {}),
  });
  const [older, setOlder] = useState<HistoryPage[]>([]);
  // Once older pages are shown the newest page stays as it was, so the pages join up.
  const first = usePolling(
    () => getJson<HistoryPage>(`/api/pipeline/history?${filters.toString()}`),
    older.length > 0 ? 0 : 5000,
    filters.toString(),
  );
  const [olderError, setOlderError] = useState<string | undefined>(undefined);
  useEffect(() => setOlder([]), [filters.toString()]);
  const last = older.at(-1) ?? first.data;
  const showOlder = () => {
    if (!last?.next) return;
    const query = new URLSearchParams(filters);
    query.set('before', last.next);
    getJson<HistoryPage>(`/api/pipeline/history?${query.toString()}`).then(
      (page) => {
        setOlder((pages) => [...pages, page]);
        setOlderError(undefined);
      },
      (failure: unknown) => setOlderError(messageOf(failure)),
    );
  };
  const jobs = [...(first.data?.jobs ?? []), ...older.flatMap((page) => page.jobs)];
  const needle = text.trim().toLowerCase();
  const shown = jobs.filter(
    (j) =>
      needle === '' ||
      [j.jobId, j.sourceDataset, j.targetBucket, ...j.selectedPaths].some((v) =>
        v.toLowerCase().includes(needle),
      ),
  );
  return (
    <section class="panel" aria-labelledby="history-heading">
      <h2 id="history-heading">Jobs</h2>
      <div class="row">
        <SelectField
          id="filter-state"
          label="State"
          value={state}
          options={options.data?.jobStatuses ?? []}
          empty="All"
          onChange={setState}
        />
        <SelectField
          id="filter-type"
          label="Process type"
          value={processType}
          options={options.data?.processTypes ?? []}
          empty="All"
          onChange={setProcessType}
        />
        <Field id="filter-text" label="Search">
          <input
            id="filter-text"
            type="search"
            placeholder="job, dataset, bucket"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </Field>
      </div>
      <ErrorNote error={first.error ?? olderError} />
      <p class="muted" aria-live="polite">
        {shown.length} of {jobs.length} jobs
      </p>
      <table>
        <TableHead
          caption="Jobs, newest first"
          columns={['Job', 'State', 'Type', 'Source', 'Target', 'Records', 'Started (UTC)', 'Took']}
        />
        <tbody>
          {shown.map((j) => (
            <tr key={j.jobId}>
              <td>
                <a href={`#/jobs/${encodeURIComponent(j.jobId)}`}>{j.jobId}</a>
              </td>
              <td>
                <StateBadge state={j.status} />
              </td>
              <td>{j.processType}</td>
              <td>
                {j.sourceDataset || '(top)'}: {j.selectedPaths.join(', ')}
              </td>
              <td>
                {j.targetBucket}/{j.outputPrefix}
              </td>
              <td>{formatNumber(j.recordsProcessed)}</td>
              <td>{formatTime(j.createdAt)}</td>
              <td>{formatSeconds(j.durationSeconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {last?.next ? (
        <button type="button" onClick={showOlder}>
          Show older
        </button>
      ) : null}
    </section>
  );
}

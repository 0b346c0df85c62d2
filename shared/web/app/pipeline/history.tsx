import { useState } from 'preact/hooks';
import { getJson } from '../api.js';
import { formatNumber, formatSeconds, formatTime } from '../format.js';
import { usePolling } from '../hooks.js';
import { ErrorNote, Field, SelectField, StateBadge, TableHead } from '../ui.js';
import type { HistoryItem } from './types.js';

/** Recent jobs (the API's newest 100), filtered here by state, process type and text. */
export function History() {
  const history = usePolling(
    () => getJson<{ jobs: HistoryItem[] }>('/api/pipeline/history?limit=100'),
    5000,
  );
  const [state, setState] = useState('');
  const [processType, setProcessType] = useState('');
  const [text, setText] = useState('');
  const jobs = history.data?.jobs ?? [];
  const states = [...new Set(jobs.map((j) => j.status))].sort();
  const types = [...new Set(jobs.map((j) => j.processType))].sort();
  const needle = text.trim().toLowerCase();
  const shown = jobs.filter(
    (j) =>
      (state === '' || j.status === state) &&
      (processType === '' || j.processType === processType) &&
      (needle === '' ||
        [j.jobId, j.sourceDataset, j.targetBucket, ...j.selectedPaths].some((v) =>
          v.toLowerCase().includes(needle),
        )),
  );
  return (
    <section class="panel" aria-labelledby="history-heading">
      <h2 id="history-heading">Jobs</h2>
      <div class="row">
        <SelectField
          id="filter-state"
          label="State"
          value={state}
          options={states}
          empty="All"
          onChange={setState}
        />
        <SelectField
          id="filter-type"
          label="Process type"
          value={processType}
          options={types}
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
      <ErrorNote error={history.error} />
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
    </section>
  );
}

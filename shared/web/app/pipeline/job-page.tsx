import { useEffect, useRef, useState } from 'preact/hooks';
import { getJson, messageOf, postJson, query } from '../api.js';
import { formatBytes, formatNumber, formatSeconds, formatTime } from '../format.js';
import { usePolling } from '../hooks.js';
import { ErrorNote, StateBadge, TableHead } from '../ui.js';
import {
  TERMINAL,
  type BrowseListing,
  type FileView,
  type JobStatus,
  type ManifestPage,
} from './types.js';

const POLL_MS = 1000;

/** The job's log, newest last, kept scrolled to the end while the reader is at the end. */
function JobLog({ jobId, live }: { jobId: string; live: boolean }) {
  const logs = usePolling(
    () => getJson<{ logs: string[] }>(`/api/pipeline/${encodeURIComponent(jobId)}/logs?limit=500`),
    live ? POLL_MS * 2 : 0,
    `${jobId}/${live}`,
  );
  const box = useRef<HTMLPreElement>(null);
  const follow = useRef(true);
  useEffect(() => {
    const el = box.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [logs.data]);
  return (
    <section class="panel" aria-labelledby="log-heading">
      <h2 id="log-heading">Log</h2>
      <ErrorNote error={logs.error} />
      <pre
        ref={box}
        class="log"
        tabIndex={0}
        aria-label="Job log"
        onScroll={(e) => {
          const el = e.currentTarget;
          follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
        }}
      >
        {logs.data?.logs.join('\n') ?? ''}
      </pre>
    </section>
  );
}

function FailedFiles({ jobId, status }: { jobId: string; status: JobStatus }) {
  const path = `/api/pipeline/${encodeURIComponent(jobId)}/files`;
  const failed = usePolling(
    () => getJson<{ files: FileView[] }>(path + query({ state: 'failed', limit: 1000 })),
    0,
    `${jobId}/${status.filesFailed}`,
  );
  const skipped = usePolling(
    () => getJson<{ files: FileView[] }>(path + query({ state: 'skipped', limit: 1000 })),
    0,
    `${jobId}/${status.filesSkipped}`,
  );
  return (
    <section class="panel" aria-labelledby="failed-heading">
      <h2 id="failed-heading">Failed files ({status.filesFailed})</h2>
      <ErrorNote error={failed.error} />
      {failed.data && failed.data.files.length > 0 ? (
        <table class="failed-files">
          <TableHead caption="Files that failed and why" columns={['File', 'Reason', 'Attempts']} />
          <tbody>
            {failed.data.files.map((file) => (
              <tr key={file.index}>
                <td>{file.source}</td>
                <td>
                  <code>{file.error?.code}</code> {file.error?.message}
                </td>
                <td>{file.attempts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">None.</p>
      )}
      {skipped.data && skipped.data.files.length > 0 && (
        <>
          <h3>Skipped by the filters ({status.filesSkipped})</h3>
          <ul>
            {skipped.data.files.map((file) => (
              <li key={file.index}>
                {file.source}: {file.skipReason}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Manifest files a page shows at a time, and at most (the API's largest page). */
const MANIFEST_PAGE = 100;
const MANIFEST_SHOWN = 1000;

/** Where each source went: the manifest's files, a page at a time. */
function Manifest({ jobId }: { jobId: string }) {
  const [pages, setPages] = useState(1);
  const manifest = usePolling(
    () =>
      getJson<ManifestPage>(
        `/api/pipeline/${encodeURIComponent(jobId)}/manifest${query({ limit: Math.min(MANIFEST_PAGE * pages, MANIFEST_SHOWN) })}`,
      ),
    0,
    `${jobId}/${pages}`,
  );
  const files = manifest.data?.files ?? [];
  const total = manifest.data?.filesTotal ?? 0;
  return (
    <section class="panel" aria-labelledby="manifest-heading">
      <h2 id="manifest-heading">Where each source went</h2>
      <ErrorNote error={manifest.error} />
      <p class="muted">
        {formatNumber(files.length)} of {formatNumber(total)} files
      </p>
      <table class="manifest">
        <TableHead
          caption="Manifest: each source file, the object it went to and where in it"
          columns={['Source', 'Output', 'Offset', 'Bytes', 'Lines', 'Quarantined']}
        />
        <tbody>
          {files.map((f) => (
            <tr key={`${f.source}#${f.generation}`}>
              <td>{f.source}</td>
              <td>{f.output}</td>
              <td>{formatNumber(f.offset)}</td>
              <td>{formatBytes(f.bytes)}</td>
              <td>{formatNumber(f.lines)}</td>
              <td>{formatNumber(f.quarantinedLines)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {files.length < Math.min(total, MANIFEST_SHOWN) && (
        <button type="button" onClick={() => setPages((n) => n + 1)}>
          Show more
        </button>
      )}
      {total > MANIFEST_SHOWN && files.length === MANIFEST_SHOWN && (
        <p class="muted">The rest is in the job's _MANIFEST.json, listed above.</p>
      )}
    </section>
  );
}

/** The job's output as its target bucket lists it: shards, schemas, manifest and failures. */
function OutputFiles({ status }: { status: JobStatus }) {
  const location = /^gs:\/\/([^/]+)\/?(.*)$/.exec(status.outputLocation);
  const bucket = location?.[1] ?? '';
  const prefix = location?.[2] ?? '';
  const folders = [...new Set(status.outputFiles.map((f) => f.slice(0, f.lastIndexOf('/') + 1)))];
  const sizes = usePolling(
    async () => {
      const bySize = new Map<string, { size: number; updated: string }>();
      for (const folder of folders) {
        const path = `${prefix}${folder}`.replace(/\/$/, '');
        const listing = await getJson<BrowseListing>(
          `/api/gcp/buckets/${encodeURIComponent(bucket)}/browse/${path.split('/').map(encodeURIComponent).join('/')}`,
        );
        for (const file of listing.files) bySize.set(`${folder}${file.name}`, file);
      }
      return bySize;
    },
    0,
    `${status.outputLocation}/${status.outputFiles.length}`,
  );
  if (status.outputFiles.length === 0) return null;
  return (
    <section class="panel" aria-labelledby="output-heading">
      <h2 id="output-heading">Output in {status.outputLocation}</h2>
      <table>
        <TableHead caption="Output files" columns={['File', 'What', 'Size']} />
        <tbody>
          {status.outputFiles.map((file) => (
            <tr key={file}>
              <td>
                gs://{bucket}/{prefix}
                {file}
              </td>
              <td>
                {file.endsWith('_MANIFEST.json')
                  ? 'manifest: each source → shard, offset, lines'
                  : file.endsWith('_FAILURES.csv')
                    ? 'failed files and their reasons'
                    : file.endsWith('.schema.json')
                      ? 'BigQuery schema'
                      : 'shard'}
              </td>
              <td>{formatBytes(sizes.data?.get(file)?.size)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** One job, followed live: progress, stages, throughput, ETA, log, failures, output, cancel. */
export function JobPage({ jobId }: { jobId: string }) {
  const [live, setLive] = useState(true);
  const status = usePolling(
    () => getJson<JobStatus>(`/api/pipeline/${encodeURIComponent(jobId)}/status`),
    live ? POLL_MS : 0,
    jobId,
  );
  const [cancelError, setCancelError] = useState<string | undefined>(undefined);
  const s = status.data;
  const ended = s !== undefined && TERMINAL.has(s.status);
  useEffect(() => {
    if (ended) setLive(false);
  }, [ended]);
  const cancel = async () => {
    if (!window.confirm(`Cancel job ${jobId}? Files not yet done are left out.`)) return;
    try {
      await postJson(`/api/pipeline/${encodeURIComponent(jobId)}/cancel`);
      status.reload();
    } catch (failure) {
      setCancelError(messageOf(failure));
    }
  };
  return (
    <>
      <section class="panel" aria-labelledby="job-title">
        <h2 id="job-title">
          Job {jobId} {s && <StateBadge state={s.status} />}
        </h2>
        <ErrorNote error={status.error} />
        {s && (
          <>
            <label for="progress">Progress: {formatNumber(s.progress, 1)}%</label>
            <progress id="progress" max={100} value={s.progress}>
              {s.progress}%
            </progress>
            <dl class="facts">
              <dt>Files</dt>
              <dd data-testid="files-summary">
                {s.filesSucceeded} succeeded, {s.filesFailed} failed, {s.filesSkipped} skipped,{' '}
                {s.filesCancelled} cancelled of {s.filesTotal}
              </dd>
              <dt>Records</dt>
              <dd>
                {formatNumber(s.recordsProcessed)} of {formatNumber(s.recordsTotal)}
                {s.quarantinedLines > 0
                  ? ` (${formatNumber(s.quarantinedLines)} lines quarantined)`
                  : ''}
              </dd>
              <dt>Read</dt>
              <dd>
                {formatBytes(s.bytesRead)} of {formatBytes(s.bytesTotal)}
              </dd>
              <dt>Throughput</dt>
              <dd>{formatNumber(s.throughputRecordsPerSec, 1)} records/s</dd>
              <dt>Elapsed</dt>
              <dd>{formatSeconds(s.elapsedSeconds)}</dd>
              <dt>Remaining</dt>
              <dd>{ended ? '–' : formatSeconds(s.estimatedSecondsRemaining)}</dd>
              <dt>Started</dt>
              <dd>{formatTime(s.createdAt)}</dd>
              <dt>Ended</dt>
              <dd>{formatTime(s.completedAt)}</dd>
            </dl>
            <ol class="stages" aria-label="Stages">
              {Object.entries(s.stages).map(([stage, state]) => (
                <li key={stage}>
                  {stage} <StateBadge state={state} />
                </li>
              ))}
            </ol>
            {s.errorMessage && <p class="warning">{s.errorMessage}</p>}
            <div class="buttons">
              {!ended && (
                <button type="button" class="danger" onClick={() => void cancel()}>
                  Cancel job
                </button>
              )}
              <a href={s.dataflowUrl ?? undefined}>Workflow execution</a>
            </div>
            <ErrorNote error={cancelError} />
          </>
        )}
      </section>
      {s && <FailedFiles jobId={jobId} status={s} />}
      {s && ended && <OutputFiles status={s} />}
      {s && ended && s.outputFiles.some((f) => f.endsWith('_MANIFEST.json')) && (
        <Manifest jobId={jobId} />
      )}
      <JobLog jobId={jobId} live={live} />
    </>
  );
}

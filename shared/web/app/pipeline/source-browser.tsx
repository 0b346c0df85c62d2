import { getJson } from '../api.js';
import { formatBytes, formatTime } from '../format.js';
import { usePolling } from '../hooks.js';
import { ErrorNote, Field, TableHead } from '../ui.js';
import type { BrowseListing } from './types.js';

const join = (...parts: string[]) => parts.filter((p) => p !== '').join('/');

/** The source side of a job: a bucket, the dataset folder browsed into, the selected folders. */
export interface Source {
  bucket: string;
  dataset: string;
  selected: string[];
}

/**
 * Browse a bucket one level at a time. The folder shown is the job's dataset; what is ticked
 * below it is the selection (`""` for the whole folder). Moving to another folder starts a new
 * selection there, as a job reads one dataset.
 */
export function SourceBrowser(props: {
  project: string;
  source: Source;
  onChange: (source: Source) => void;
}) {
  const { bucket, dataset, selected } = props.source;
  const buckets = usePolling(
    () =>
      getJson<{ buckets: { name: string; location: string }[] }>(
        `/api/gcp/projects/${encodeURIComponent(props.project)}/buckets`,
      ),
    0,
    props.project,
  );
  const listing = usePolling(
    () =>
      bucket === ''
        ? Promise.resolve(undefined)
        : getJson<BrowseListing>(
            `/api/gcp/buckets/${encodeURIComponent(bucket)}/browse${dataset === '' ? '' : '/' + dataset.split('/').map(encodeURIComponent).join('/')}`,
          ),
    0,
    `${bucket}/${dataset}`,
  );
  const open = (path: string) => props.onChange({ bucket, dataset: path, selected: [] });
  const toggle = (name: string) =>
    props.onChange({
      bucket,
      dataset,
      selected: selected.includes(name) ? selected.filter((s) => s !== name) : [...selected, name],
    });
  const crumbs = dataset === '' ? [] : dataset.split('/');
  const list = listing.data;
  const totalSize = list?.files.reduce((sum, f) => sum + f.size, 0) ?? 0;
  return (
    <section aria-labelledby="source-heading" class="panel">
      <h2 id="source-heading">Source</h2>
      <Field id="bucket" label="Bucket">
        <select
          id="bucket"
          value={bucket}
          onChange={(e) =>
            props.onChange({ bucket: e.currentTarget.value, dataset: '', selected: [] })
          }
        >
          <option value="">Choose a bucket…</option>
          {buckets.data?.buckets.map((b) => (
            <option key={b.name} value={b.name}>
              {b.name} ({b.location})
            </option>
          ))}
        </select>
      </Field>
      <ErrorNote error={buckets.error} />
      {bucket !== '' && (
        <>
          <nav aria-label="Folder path" class="crumbs">
            <button type="button" class="link" onClick={() => open('')}>
              {bucket}
            </button>
            {crumbs.map((crumb, i) => (
              <span key={i}>
                {' / '}
                <button
                  type="button"
                  class="link"
                  onClick={() => open(crumbs.slice(0, i + 1).join('/'))}
                >
                  {crumb}
                </button>
              </span>
            ))}
          </nav>
          <ErrorNote error={listing.error} />
          {list && (
            <>
              <p class="muted" aria-live="polite">
                {list.folders.length} folders, {list.files.length} files ({formatBytes(totalSize)})
                {list.truncated ? ' — listing cut short' : ''}
                {list.layout
                  ? ` — Betfair layout: ${Object.entries(list.layout)
                      .filter(([, v]) => v !== '')
                      .map(([k, v]) => `${k} ${v}`)
                      .join(', ')}`
                  : ''}
              </p>
              <label class="check">
                <input
                  type="checkbox"
                  checked={selected.includes('')}
                  onChange={() => toggle('')}
                />
                Select this whole folder ({dataset === '' ? 'bucket top' : dataset})
              </label>
              <table class="listing">
                <TableHead
                  caption={`Contents of ${join(bucket, dataset)}`}
                  columns={['Select', 'Name', 'Size', 'Updated (UTC)']}
                />
                <tbody>
                  {list.folders.map((folder) => (
                    <tr key={`d-${folder}`}>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Select folder ${folder}`}
                          checked={selected.includes(folder)}
                          onChange={() => toggle(folder)}
                        />
                      </td>
                      <td>
                        <button
                          type="button"
                          class="link"
                          aria-label={`Open folder ${folder}`}
                          onClick={() => open(join(dataset, folder))}
                        >
                          {folder}/
                        </button>
                      </td>
                      <td>folder</td>
                      <td />
                    </tr>
                  ))}
                  {list.files.map((file) => (
                    <tr key={`f-${file.name}`}>
                      <td />
                      <td>{file.name}</td>
                      <td>{formatBytes(file.size)}</td>
                      <td>{formatTime(file.updated)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </>
      )}
    </section>
  );
}

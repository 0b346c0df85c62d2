import { useState } from 'preact/hooks';
import { getJson, messageOf, postJson } from '../api.js';
import { formatNumber } from '../format.js';
import { usePolling } from '../hooks.js';
import { ErrorNote, TableHead } from '../ui.js';
import { JobForm } from './job-form.js';
import { SourceBrowser, type Source } from './source-browser.js';
import type { Validation } from './types.js';

/** Check a selection before submitting: files it matches per pattern, folders, warnings. */
function ValidationPanel({ source }: { source: Source }) {
  const [result, setResult] = useState<Validation | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const validate = async () => {
    setError(undefined);
    setResult(undefined);
    try {
      setResult(
        await postJson<Validation>('/api/plugins/validate', {
          sourceBucket: source.bucket,
          sourceDataset: source.dataset,
          selectedPaths: source.selected,
        }),
      );
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  const warnings = result?.patterns.filter((p) => !p.valid || p.truncated) ?? [];
  return (
    <section class="panel" aria-labelledby="selection-heading">
      <h2 id="selection-heading">Selection</h2>
      {source.selected.length === 0 ? (
        <p class="muted">Nothing selected: tick folders in the listing.</p>
      ) : (
        <ul class="selection">
          {source.selected.map((path) => (
            <li key={path}>
              {source.bucket}/
              {[source.dataset, path].filter((p) => p !== '').join('/') || '(bucket top)'}
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={() => void validate()} disabled={source.selected.length === 0}>
        Validate selection
      </button>
      <ErrorNote error={error} />
      {result && (
        <div role="status" class="validation">
          <p>
            <strong>{formatNumber(result.totalFiles)} files</strong> match
            {result.allValid ? '' : ' — some patterns match nothing'}
          </p>
          <table>
            <TableHead caption="Patterns" columns={['Pattern', 'Files']} />
            <tbody>
              {result.patterns.map((p) => (
                <tr key={p.pattern}>
                  <td>{p.pattern}</td>
                  <td>{p.valid ? formatNumber(p.fileCount) : (p.error ?? 'no files')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {warnings.length > 0 && (
            <ul class="warnings">
              {warnings.map((w) => (
                <li key={w.pattern}>
                  {w.truncated
                    ? `${w.pattern}: listing truncated`
                    : `${w.pattern}: ${w.error ?? 'no files'}`}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

/** The pipeline console's first page: pick the source, check it, set the job and submit. */
export function NewJob() {
  const projects = usePolling(
    () => getJson<{ projects: { projectId: string }[] }>('/api/gcp/projects'),
    0,
  );
  const [source, setSource] = useState<Source>({ bucket: '', dataset: '', selected: [] });
  const project = projects.data?.projects[0]?.projectId;
  return (
    <div class="columns">
      <div>
        <ErrorNote error={projects.error} />
        {project && <SourceBrowser project={project} source={source} onChange={setSource} />}
        <ValidationPanel source={source} />
      </div>
      <div>{project && <JobForm project={project} source={source} />}</div>
    </div>
  );
}

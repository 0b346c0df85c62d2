import { useState } from 'preact/hooks';
import { getJson, messageOf, postJson } from '../api.js';
import { navigate, usePolling } from '../hooks.js';
import { ErrorNote, InputField, SelectField, splitList } from '../ui.js';
import { SchemaField } from './schema-field.js';
import type { Source } from './source-browser.js';
import type { JobOptions } from './types.js';

/** Fields this form has its own controls for, or fills from the source; the rest are generic. */
const OWN_FIELDS = new Set([
  'sourceType',
  'sourceProject',
  'sourceBucket',
  'sourceDataset',
  'selectedPaths',
  'processType',
  'outputShards',
  'compression',
  'targetBucket',
  'outputPrefix',
  'createNewBucket',
  'storageClass',
  'location',
  'retention',
  'dataflowRegion',
  'dataflowWorkerType',
  'dataflowMaxWorkers',
  'dataflowTimeoutHours',
  'invalidLines',
  'skipProcessed',
  'filters',
  'products',
  'snapshotMoments',
  'ladderDepth',
  'barSeconds',
  'format',
]);

type Values = Record<string, unknown>;

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Every job option, offered from `GET /api/pipeline/options`: the process types, products,
 * formats and compressions the API accepts now, the fields that belong to the chosen process
 * type, the filters, and any field the API has that this form has no control of its own for.
 */
export function JobForm(props: { project: string; source: Source }) {
  const options = usePolling(() => getJson<JobOptions>('/api/pipeline/options'), 0);
  const [values, setValues] = useState<Values>({
    processType: 'decompress_and_concatenate',
    outputShards: 10,
    compression: 'none',
    invalidLines: 'quarantine',
    targetBucket: '',
    outputPrefix: '',
    createNewBucket: false,
    dataflowMaxWorkers: '',
    snapshotMoments: '',
  });
  const [availability, setAvailability] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const set = (name: string, value: unknown) =>
    setValues((current) => {
      const next = { ...current, [name]: value };
      if (value === undefined) delete next[name];
      return next;
    });
  /** A checkbox of a yes/no option. */
  const flag = (name: string, label: string) => (
    <label class="check">
      <input
        type="checkbox"
        checked={values[name] === true}
        onChange={(e) => set(name, e.currentTarget.checked)}
      />
      {label}
    </label>
  );
  /** A number input whose empty value leaves the option out (the API's default). */
  const optionalNumber = (name: string) => ({
    type: 'number' as const,
    value: (values[name] as number | undefined) ?? '',
    onInput: (e: { currentTarget: HTMLInputElement }) =>
      set(name, e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value)),
  });
  const o = options.data;
  if (!o)
    return (
      <section class="panel">
        <h2>Job</h2>
        <ErrorNote error={options.error} />
        {!options.error && <p>Loading options…</p>}
      </section>
    );
  /** A control built from the field's JSON Schema, if the API describes the field. */
  const schemaField = (name: string, id = `opt-${name}`) => {
    const schema = o.fields[name];
    return schema ? (
      <SchemaField
        key={name}
        id={id}
        name={name}
        schema={schema}
        value={values[name]}
        onChange={(v) => set(name, v)}
      />
    ) : null;
  };
  /** The number fields of a process type, with the bounds and defaults the API describes. */
  const numberFields: Record<string, { label: string; hint: string; min: number; max?: number }> = {
    ladderDepth: {
      label: 'Ladder depth',
      hint: `${o.ladderDepth.min}–${o.ladderDepth.max}, default ${o.defaults.ladderDepth}`,
      min: o.ladderDepth.min,
      max: o.ladderDepth.max,
    },
    barSeconds: { label: 'Bar seconds', hint: `default ${o.defaults.barSeconds}`, min: 1 },
  };

  const processType = String(values.processType);
  const typeFields = o.fieldsByProcessType[processType] ?? [];
  const otherTypeFields = new Set(
    Object.entries(o.fieldsByProcessType).flatMap(([type, fields]) =>
      type === processType ? [] : fields,
    ),
  );
  const extraFields = Object.entries(o.fields).filter(
    ([name]) => !OWN_FIELDS.has(name) && !otherTypeFields.has(name),
  );
  const products = (values.products as string[] | undefined) ?? o.defaults.products;
  const target = String(values.targetBucket);

  const checkTarget = async () => {
    setAvailability(undefined);
    try {
      const answer = await getJson<{ available: boolean }>(
        `/api/gcp/buckets/check/${encodeURIComponent(target)}`,
      );
      setAvailability(
        answer.available
          ? `${target} does not exist yet: tick “Create it” or create it now`
          : `${target} exists: the job writes into it`,
      );
    } catch (failure) {
      setAvailability(messageOf(failure));
    }
  };
  const createTarget = async () => {
    try {
      await postJson('/api/gcp/buckets/create', {
        projectId: props.project,
        bucketName: target,
        location: values.location || undefined,
        storageClass: values.storageClass || undefined,
      });
      setAvailability(`${target} created`);
    } catch (failure) {
      setAvailability(messageOf(failure));
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const { bucket, dataset, selected } = props.source;
    if (bucket === '' || selected.length === 0) {
      setError('Choose a source bucket and select at least one folder first');
      return;
    }
    const body: Values = {
      sourceBucket: bucket,
      sourceDataset: dataset,
      selectedPaths: selected,
      processType,
      outputShards: values.outputShards,
      compression: values.compression,
      invalidLines: values.invalidLines,
      targetBucket: target,
      outputPrefix: values.outputPrefix,
      createNewBucket: values.createNewBucket,
      skipProcessed: values.skipProcessed === true,
    };
    for (const name of ['storageClass', 'location', 'dataflowTimeoutHours', 'filters']) {
      if (values[name] !== undefined && values[name] !== '') body[name] = values[name];
    }
    if (values.dataflowMaxWorkers !== '')
      body.dataflowMaxWorkers = Number(values.dataflowMaxWorkers);
    for (const name of typeFields) {
      if (name === 'products') body.products = products;
      else if (name === 'snapshotMoments') {
        const moments = splitList(textOf(values.snapshotMoments));
        if (moments.length > 0) body.snapshotMoments = moments;
      } else if (values[name] !== undefined && values[name] !== '') body[name] = values[name];
    }
    for (const [name] of extraFields) if (values[name] !== undefined) body[name] = values[name];
    setBusy(true);
    try {
      const answer = await postJson<{ jobId: string }>('/api/pipeline/submit', body);
      navigate(`/jobs/${answer.jobId}`);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel" aria-labelledby="job-heading" onSubmit={(e) => void submit(e)}>
      <h2 id="job-heading">Job</h2>
      <SelectField
        id="processType"
        label="Process type"
        value={processType}
        options={o.processTypes}
        onChange={(v) => set('processType', v)}
      />
      {typeFields.length > 0 && (
        <fieldset>
          <legend>{processType} options</legend>
          {typeFields.map((name) => {
            if (name === 'products') {
              return (
                <fieldset key={name}>
                  <legend>Products</legend>
                  {o.products.map((product) => (
                    <label class="check" key={product}>
                      <input
                        type="checkbox"
                        checked={products.includes(product)}
                        onChange={(e) =>
                          set(
                            'products',
                            e.currentTarget.checked
                              ? [...products, product]
                              : products.filter((p) => p !== product),
                          )
                        }
                      />
                      {product}
                    </label>
                  ))}
                </fieldset>
              );
            }
            if (name === 'snapshotMoments') {
              return (
                <InputField
                  key={name}
                  id="snapshotMoments"
                  label="Snapshot moments"
                  hint={`Comma-separated; default ${o.defaults.snapshotMoments.join(', ')}. Each is ${o.momentForms}`}
                  value={textOf(values.snapshotMoments)}
                  onInput={(e) => set('snapshotMoments', e.currentTarget.value)}
                />
              );
            }
            const number = numberFields[name];
            if (number) {
              return <InputField key={name} id={name} {...number} {...optionalNumber(name)} />;
            }
            if (name === 'format') {
              return (
                <SelectField
                  key={name}
                  id="format"
                  label="Table format"
                  value={textOf(values.format) || (o.formats[0] ?? '')}
                  options={o.formats}
                  onChange={(v) => set('format', v)}
                />
              );
            }
            return schemaField(name);
          })}
        </fieldset>
      )}
      <div class="row">
        <InputField
          id="outputShards"
          label="Output shards"
          type="number"
          min={1}
          max={1000}
          value={values.outputShards as number}
          onInput={(e) => set('outputShards', Number(e.currentTarget.value))}
        />
        <SelectField
          id="compression"
          label="Compression"
          value={String(values.compression)}
          options={o.compressions}
          onChange={(v) => set('compression', v)}
        />
        <SelectField
          id="invalidLines"
          label="Invalid lines"
          value={String(values.invalidLines)}
          options={o.invalidLines}
          onChange={(v) => set('invalidLines', v)}
        />
      </div>
      <div class="row">
        <InputField
          id="maxWorkers"
          label="Files at once"
          hint="Empty: no limit (AUTO)"
          type="number"
          min={1}
          value={String(values.dataflowMaxWorkers)}
          onInput={(e) => set('dataflowMaxWorkers', e.currentTarget.value)}
        />
        <InputField
          id="timeoutHours"
          label="Time limit (hours)"
          hint="Default 24"
          min={1}
          {...optionalNumber('dataflowTimeoutHours')}
        />
      </div>
      {flag('skipProcessed', 'Skip files a completed job already wrote to this target')}
      <fieldset>
        <legend>Target</legend>
        <InputField
          id="targetBucket"
          label="Target bucket"
          required
          value={target}
          onInput={(e) => {
            set('targetBucket', e.currentTarget.value.trim());
            setAvailability(undefined);
          }}
        />
        <div class="buttons">
          <button type="button" onClick={() => void checkTarget()} disabled={target === ''}>
            Check availability
          </button>
          <button type="button" onClick={() => void createTarget()} disabled={target === ''}>
            Create bucket now
          </button>
        </div>
        {availability && (
          <p class="muted" role="status">
            {availability}
          </p>
        )}
        {flag('createNewBucket', 'Create it with the job if it does not exist')}
        <div class="row">
          {schemaField('storageClass', 'storageClass')}
          {schemaField('location', 'location')}
        </div>
        <InputField
          id="outputPrefix"
          label="Output prefix"
          hint="Folder in the target; empty for its top"
          value={String(values.outputPrefix)}
          onInput={(e) => set('outputPrefix', e.currentTarget.value)}
        />
      </fieldset>
      {schemaField('filters', 'filters')}
      {extraFields.length > 0 && (
        <fieldset>
          <legend>More options</legend>
          {extraFields.map(([name]) => schemaField(name))}
        </fieldset>
      )}
      <ErrorNote error={error} />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Submitting…' : 'Submit job'}
      </button>
    </form>
  );
}

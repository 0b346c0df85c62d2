import { useState } from 'preact/hooks';
import { messageOf, postJson } from '../api.js';
import { ErrorNote, Field, splitList } from '../ui.js';

/** `GET /api/config` and `/api/state`'s `config`: secrets arrive masked (`chim…ator`). */
export interface RecorderConfig {
  betfair_app_key: string | null;
  betfair_ssoid: string | null;
  gcs_project_id: string;
  gcs_bucket_name: string;
  gcs_base_path: string;
  poll_interval_seconds: number;
  countries: string[];
  market_types: string[];
  price_projection: string[];
  catalogue_projections: string[];
}

interface Draft {
  appKey: string;
  ssoid: string;
  bucket: string;
  basePath: string;
  pollInterval: string;
  countries: string;
  marketTypes: string;
  priceProjection: string;
  catalogueProjections: string;
}

function draftOf(config: RecorderConfig): Draft {
  return {
    appKey: '',
    ssoid: '',
    bucket: config.gcs_bucket_name,
    basePath: config.gcs_base_path,
    pollInterval: String(config.poll_interval_seconds),
    countries: config.countries.join(', '),
    marketTypes: config.market_types.join(', '),
    priceProjection: config.price_projection.join(', '),
    catalogueProjections: config.catalogue_projections.join(', '),
  };
}

/**
 * The recorder's settings. The draft is taken from the configuration once, when the form
 * opens, and replaced only by Reset or after a save: the dashboard's refresh never wipes what
 * is being typed. Secrets are never shown, only their masked form; an empty secret field keeps
 * the stored one.
 */
export function RecorderSettings(props: { current: RecorderConfig; onSaved: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(props.current));
  const [note, setNote] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  const edit = (name: keyof Draft) => (e: { currentTarget: HTMLInputElement }) =>
    setDraft((d) => ({ ...d, [name]: e.currentTarget.value }));
  const run = async (what: () => Promise<string>) => {
    setNote(undefined);
    try {
      setNote({ ok: true, text: await what() });
    } catch (failure) {
      setNote({ ok: false, text: messageOf(failure) });
    }
  };
  const save = () =>
    run(async () => {
      const body: Record<string, unknown> = {
        gcs_bucket_name: draft.bucket,
        gcs_base_path: draft.basePath,
        poll_interval_seconds: Number(draft.pollInterval),
        countries: splitList(draft.countries),
        market_types: splitList(draft.marketTypes),
        price_projection: splitList(draft.priceProjection),
        catalogue_projections: splitList(draft.catalogueProjections),
      };
      if (draft.appKey.trim() !== '') body.betfair_app_key = draft.appKey.trim();
      if (draft.ssoid.trim() !== '') body.betfair_ssoid = draft.ssoid.trim();
      const saved = await postJson<RecorderConfig>('/api/config', body);
      setDraft(draftOf({ ...props.current, ...saved }));
      props.onSaved();
      return 'Settings saved';
    });
  const testSession = () =>
    run(async () => {
      const answer = await postJson<{ valid?: boolean; success?: boolean; message?: string }>(
        '/api/validate-session',
        {
          ssoid: draft.ssoid.trim(),
          ...(draft.appKey.trim() ? { app_key: draft.appKey.trim() } : {}),
        },
      );
      const ok = answer.valid ?? answer.success ?? true;
      if (!ok) throw new Error(answer.message ?? 'Betfair refused the session');
      return answer.message ?? 'Betfair accepted the session';
    });
  const testStorage = () =>
    run(async () => {
      const answer = await postJson<{ success?: boolean; message?: string }>('/api/test-gcs');
      if (answer.success === false) throw new Error(answer.message ?? 'storage test failed');
      return answer.message ?? 'Storage works';
    });
  return (
    <form
      class="panel"
      aria-labelledby="settings-heading"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 id="settings-heading">Settings</h2>
      <fieldset>
        <legend>Betfair credentials</legend>
        <Field
          id="appKey"
          label="App key"
          hint={`Stored: ${props.current.betfair_app_key ?? 'none'}. Leave empty to keep it.`}
        >
          <input
            id="appKey"
            type="password"
            autoComplete="off"
            aria-describedby="appKey-hint"
            value={draft.appKey}
            onInput={edit('appKey')}
          />
        </Field>
        <Field
          id="ssoid"
          label="Session token (SSOID)"
          hint={`Stored: ${props.current.betfair_ssoid ?? 'none'}. Leave empty to keep it.`}
        >
          <input
            id="ssoid"
            type="password"
            autoComplete="off"
            aria-describedby="ssoid-hint"
            value={draft.ssoid}
            onInput={edit('ssoid')}
          />
        </Field>
        <button
          type="button"
          disabled={draft.ssoid.trim() === ''}
          onClick={() => void testSession()}
        >
          Test this session
        </button>
      </fieldset>
      <fieldset>
        <legend>Recording</legend>
        <div class="row">
          <Field id="rec-bucket" label="Bucket">
            <input id="rec-bucket" value={draft.bucket} onInput={edit('bucket')} />
          </Field>
          <Field id="rec-path" label="Base path">
            <input id="rec-path" value={draft.basePath} onInput={edit('basePath')} />
          </Field>
          <Field id="rec-interval" label="Poll interval (s)" hint="60 or more">
            <input
              id="rec-interval"
              type="number"
              min={60}
              max={3600}
              value={draft.pollInterval}
              onInput={edit('pollInterval')}
            />
          </Field>
        </div>
        <Field id="rec-countries" label="Countries" hint="Comma-separated, e.g. GB, IE">
          <input id="rec-countries" value={draft.countries} onInput={edit('countries')} />
        </Field>
        <Field id="rec-types" label="Market types" hint="Comma-separated; empty for every type">
          <input id="rec-types" value={draft.marketTypes} onInput={edit('marketTypes')} />
        </Field>
        <Field id="rec-price" label="Price projection" hint="Comma-separated Betfair price data">
          <input id="rec-price" value={draft.priceProjection} onInput={edit('priceProjection')} />
        </Field>
        <Field id="rec-catalogue" label="Catalogue projections" hint="Comma-separated">
          <input
            id="rec-catalogue"
            value={draft.catalogueProjections}
            onInput={edit('catalogueProjections')}
          />
        </Field>
        <button type="button" onClick={() => void testStorage()}>
          Test storage
        </button>
      </fieldset>
      {note &&
        (note.ok ? (
          <p role="status" class="ok">
            {note.text}
          </p>
        ) : (
          <ErrorNote error={note.text} />
        ))}
      <div class="buttons">
        <button type="submit" class="primary">
          Save settings
        </button>
        <button type="button" onClick={() => setDraft(draftOf(props.current))}>
          Reset to stored
        </button>
      </div>
    </form>
  );
}

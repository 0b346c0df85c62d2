import { useState } from 'preact/hooks';
import { messageOf, postJson } from '../api.js';
import { ErrorNote, InputField, splitList } from '../ui.js';

/** `GET /api/config` and `/api/state`'s `config`: secrets arrive masked (`chim…ator`). */
export interface RecorderConfig {
  betfair_app_key: string | null;
  betfair_ssoid: string | null;
  gcs_project_id: string;
  gcs_bucket_name: string;
  gcs_base_path: string;
  poll_interval_seconds: number;
  fast_cadence_minutes: number;
  fast_cadence_polls: number;
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
  cadenceMinutes: string;
  cadencePolls: string;
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
    cadenceMinutes: String(config.fast_cadence_minutes),
    cadencePolls: String(config.fast_cadence_polls),
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
  /** The value and input handler of a draft field. */
  const text = (name: keyof Draft) => ({
    value: draft[name],
    onInput: (e: { currentTarget: HTMLInputElement }) =>
      setDraft((d) => ({ ...d, [name]: e.currentTarget.value })),
  });
  /** A whole-number draft field between `min` and `max`. */
  const number = (name: keyof Draft, min: number, max: number) => ({
    ...text(name),
    type: 'number' as const,
    min,
    max,
  });
  /** A secret field: typed unseen, never autofilled, empty to keep the stored one. */
  const secret = (name: 'appKey' | 'ssoid', stored: string | null) => ({
    ...text(name),
    type: 'password' as const,
    autoComplete: 'off',
    hint: `Stored: ${stored ?? 'none'}. Leave empty to keep it.`,
  });
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
        fast_cadence_minutes: Number(draft.cadenceMinutes),
        fast_cadence_polls: Number(draft.cadencePolls),
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
        <InputField
          id="appKey"
          label="App key"
          {...secret('appKey', props.current.betfair_app_key)}
        />
        <InputField
          id="ssoid"
          label="Session token (SSOID)"
          {...secret('ssoid', props.current.betfair_ssoid)}
        />
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
          <InputField id="rec-bucket" label="Bucket" {...text('bucket')} />
          <InputField id="rec-path" label="Base path" {...text('basePath')} />
          <InputField
            id="rec-interval"
            label="Poll interval (s)"
            hint="60 or more"
            {...number('pollInterval', 60, 3600)}
          />
        </div>
        <div class="row">
          <InputField
            id="rec-cadence-minutes"
            label="Faster near the off (min)"
            hint="Minutes either side of a race's start; 0 for off"
            {...number('cadenceMinutes', 0, 60)}
          />
          <InputField
            id="rec-cadence-polls"
            label="Polls a minute near the off"
            hint="2 to 12"
            {...number('cadencePolls', 2, 12)}
          />
        </div>
        <InputField
          id="rec-countries"
          label="Countries"
          hint="Comma-separated, e.g. GB, IE"
          {...text('countries')}
        />
        <InputField
          id="rec-types"
          label="Market types"
          hint="Comma-separated; empty for every type"
          {...text('marketTypes')}
        />
        <InputField
          id="rec-price"
          label="Price projection"
          hint="Comma-separated Betfair price data"
          {...text('priceProjection')}
        />
        <InputField
          id="rec-catalogue"
          label="Catalogue projections"
          hint="Comma-separated"
          {...text('catalogueProjections')}
        />
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

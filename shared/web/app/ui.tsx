import type { ComponentChildren, InputHTMLAttributes } from 'preact';

/** An error the page shows where it happened, announced to screen readers. */
export function ErrorNote({ error }: { error: string | undefined }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error}
    </p>
  );
}

/** A label above its control; `hint` is tied to the control by id for screen readers. */
export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <small id={`${props.id}-hint`} class="hint">
          {props.hint}
        </small>
      )}
    </div>
  );
}

/** A labelled text or number input; the other props go to the input. */
export function InputField({
  label,
  hint,
  ...input
}: { id: string; label: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field id={input.id} label={label} hint={hint}>
      <input aria-describedby={hint ? `${input.id}-hint` : undefined} {...input} />
    </Field>
  );
}

/** The value and input handler of a text field of a form's state, kept trimmed. */
export function trimmedText<T extends Record<string, string>>(
  values: T,
  update: (change: (current: T) => T) => void,
  name: keyof T,
) {
  return {
    value: values[name],
    onInput: (e: { currentTarget: HTMLInputElement }) =>
      update((current) => ({ ...current, [name]: e.currentTarget.value.trim() })),
  };
}

/** A labelled choice of one of `options`, each shown as its value; `empty` labels a choice of none (''). */
export function SelectField(props: {
  id: string;
  label: string;
  hint?: string | undefined;
  value: string;
  options: readonly string[];
  empty?: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint}>
      <select
        id={props.id}
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        {props.empty !== undefined && <option value="">{props.empty}</option>}
        {props.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A table's caption for screen readers and its row of column headings. */
export function TableHead(props: { caption: string; columns: readonly string[] }) {
  return (
    <>
      <caption class="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
    </>
  );
}

/** A coloured state word (`completed`, `RUNNING`, …) that also reads as text. */
export function StateBadge({ state }: { state: string }) {
  return <span class={`badge state-${state.toLowerCase()}`}>{state}</span>;
}

/** A comma-separated list as an array of trimmed, non-empty values. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

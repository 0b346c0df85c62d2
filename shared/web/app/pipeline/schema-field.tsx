import { Field, SelectField, splitList } from '../ui.js';
import type { FieldSchema } from './types.js';

/** `tablePrefix` → `Table prefix`. */
export function labelOf(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

function typeOf(schema: FieldSchema): string | undefined {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  return type ?? schema.anyOf?.map(typeOf).find((t) => t !== undefined);
}

/**
 * A control for one request field the console has no dedicated control for, built from the
 * field's JSON Schema as `GET /api/pipeline/options` gives it: a choice for an enum, a checkbox
 * for a boolean, a number, a list of choices or of comma-separated values, a group for an object.
 * An empty control leaves the field out, so the API's default applies.
 */
export function SchemaField(props: {
  id: string;
  name: string;
  schema: FieldSchema;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const { id, name, schema, value, onChange } = props;
  const label = labelOf(name);
  const hint =
    schema.description ??
    (schema.default !== undefined ? `Default: ${JSON.stringify(schema.default)}` : undefined);
  const type = typeOf(schema);
  if (schema.enum) {
    return (
      <SelectField
        id={id}
        label={label}
        hint={hint}
        value={typeof value === 'string' ? value : ''}
        options={schema.enum}
        empty="(default)"
        onChange={(v) => onChange(v || undefined)}
      />
    );
  }
  if (type === 'boolean') {
    return (
      <label class="check">
        <input
          type="checkbox"
          id={id}
          checked={value === true}
          onChange={(e) => onChange(e.currentTarget.checked || undefined)}
        />
        {label}
      </label>
    );
  }
  if (type === 'integer' || type === 'number') {
    return (
      <Field id={id} label={label} hint={hint}>
        <input
          id={id}
          type="number"
          min={schema.minimum}
          max={schema.maximum}
          step={type === 'integer' ? 1 : 'any'}
          value={typeof value === 'number' ? value : ''}
          onInput={(e) =>
            onChange(e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))
          }
        />
      </Field>
    );
  }
  if (type === 'array' && schema.items?.enum) {
    const chosen = Array.isArray(value) ? (value as string[]) : [];
    return (
      <fieldset>
        <legend>{label}</legend>
        {schema.items.enum.map((option) => (
          <label class="check" key={option}>
            <input
              type="checkbox"
              checked={chosen.includes(option)}
              onChange={(e) => {
                const next = e.currentTarget.checked
                  ? [...chosen, option]
                  : chosen.filter((c) => c !== option);
                onChange(next.length > 0 ? next : undefined);
              }}
            />
            {option}
          </label>
        ))}
      </fieldset>
    );
  }
  if (type === 'array') {
    return (
      <Field id={id} label={label} hint={hint ?? 'Comma-separated'}>
        <input
          id={id}
          value={Array.isArray(value) ? value.join(', ') : ''}
          onInput={(e) => {
            const list = splitList(e.currentTarget.value);
            onChange(list.length > 0 ? list : undefined);
          }}
        />
      </Field>
    );
  }
  if (type === 'object' && schema.properties) {
    const object = (value ?? {}) as Record<string, unknown>;
    return (
      <fieldset>
        <legend>{label}</legend>
        {Object.entries(schema.properties).map(([key, child]) => (
          <SchemaField
            key={key}
            id={`${id}-${key}`}
            name={key}
            schema={child}
            value={object[key]}
            onChange={(next) => {
              const updated = { ...object, [key]: next };
              if (next === undefined) delete updated[key];
              onChange(Object.keys(updated).length > 0 ? updated : undefined);
            }}
          />
        ))}
      </fieldset>
    );
  }
  const day = schema.pattern?.includes('\\d{4}-\\d{2}-\\d{2}') === true;
  const text = typeof value === 'string' ? value : '';
  const change = (e: { currentTarget: HTMLInputElement }) =>
    onChange(e.currentTarget.value || undefined);
  return (
    <Field id={id} label={label} hint={hint}>
      {day ? (
        <input id={id} type="date" value={text} onInput={change} />
      ) : (
        <input id={id} value={text} onInput={change} />
      )}
    </Field>
  );
}

import { z } from 'zod';

/** A plain value decoded from Firestore's REST `Value` JSON. */
export type DecodedValue =
  string | number | boolean | null | Date | DecodedValue[] | { [field: string]: DecodedValue };

const INTEGER = /^-?\d+$/;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;

/** An RFC 3339 timestamp as proto3 JSON writes it, to millisecond precision. */
export const rfc3339 = z
  .string()
  .regex(RFC3339, 'not an RFC 3339 timestamp')
  .transform((text) => new Date(text));

// proto3 JSON writes NaN and the infinities of a double as strings.
const double = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity']).transform(Number)]);

/**
 * Firestore's REST/proto3 JSON `Value` (`{integerValue: "5"}`, `{mapValue: {fields: …}}`)
 * decoded to plain values: integers (strings in JSON) become numbers, timestamps Dates, maps
 * objects. Bytes, references and geo points keep their JSON form; nothing here reads them.
 */
export const restValue: z.ZodType<DecodedValue> = z.lazy(() =>
  z.union([
    z.strictObject({ stringValue: z.string() }).transform((v) => v.stringValue),
    z
      .strictObject({ integerValue: z.union([z.string().regex(INTEGER), z.number().int()]) })
      .transform((v) => Number(v.integerValue)),
    z.strictObject({ doubleValue: double }).transform((v) => v.doubleValue),
    z.strictObject({ booleanValue: z.boolean() }).transform((v) => v.booleanValue),
    z
      .strictObject({ nullValue: z.union([z.null(), z.literal('NULL_VALUE')]) })
      .transform(() => null),
    z.strictObject({ timestampValue: rfc3339 }).transform((v) => v.timestampValue),
    z.strictObject({ bytesValue: z.string() }).transform((v) => v.bytesValue),
    z.strictObject({ referenceValue: z.string() }).transform((v) => v.referenceValue),
    z
      .strictObject({ geoPointValue: z.object({ latitude: z.number(), longitude: z.number() }) })
      .transform((v) => v.geoPointValue),
    z
      .strictObject({ mapValue: z.object({ fields: restFields.optional() }) })
      .transform((v) => v.mapValue.fields ?? {}),
    z
      .strictObject({ arrayValue: z.object({ values: z.array(restValue).optional() }) })
      .transform((v) => v.arrayValue.values ?? []),
  ]),
);

/** A document's or map's `fields`, decoded field by field. */
export const restFields: z.ZodType<Record<string, DecodedValue>> = z.lazy(() =>
  z.record(z.string(), restValue),
);

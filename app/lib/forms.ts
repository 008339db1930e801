import type { z } from "zod";

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS_ALL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string>;

export type ParsedForm<T> = { ok: true; data: T; values: FormValues } | { ok: false; errors: FieldErrors; values: FormValues };

/**
 * Validates a form against a zod schema. On failure it returns the first message per field and
 * the values as typed (never passwords), so the page can show both beside the fields.
 */
export function parseForm<S extends z.ZodTypeAny>(form: FormData, schema: S): ParsedForm<z.infer<S>> {
  const raw: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && !(key in raw)) raw[key] = value;
  }
  const values = keepableValues(raw);
  // NUL and the other control characters (tab and line breaks aside) can't be stored in a text
  // column; say so beside the field instead of failing in the database.
  const withControls = Object.keys(raw).filter((key) => CONTROL_CHARACTERS.test(raw[key]));
  if (withControls.length > 0) {
    const errors: FieldErrors = {};
    for (const key of withControls) errors[key] = "Remove the invisible control character from this field.";
    for (const key of withControls) if (key in values) values[key] = values[key].replace(CONTROL_CHARACTERS_ALL, "");
    return { ok: false, errors, values };
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data, values };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values };
}

/** What may be echoed back into a form: everything but secrets and the idempotency/CSRF tokens. */
export function keepableValues(raw: Record<string, string>): FormValues {
  const values: FormValues = {};
  for (const [key, value] of Object.entries(raw)) {
    if (/password/i.test(key)) continue;
    values[key] = value;
  }
  return values;
}

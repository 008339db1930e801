import { Form, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { TextareaField } from "~/components/tickets/fields";
import { MACRO_PLACEHOLDERS, MACRO_TITLE_MAX_LENGTH } from "~/modules/tickets/macro-rules";
import { AGENT_STATUS_LABELS } from "~/modules/tickets/queue-rules";
import { REPLY_MAX_LENGTH } from "~/modules/tickets/ticket-rules";

const STATUS_CHOICES = ["open", "pending", "resolved", "closed"] as const;

/** Create or edit a macro; what was typed comes back with the errors beside the fields. */
export function MacroForm({
  values,
  errors,
  submitLabel,
}: {
  values: { title?: string; body?: string; setsStatus?: string | null };
  errors: Record<string, string>;
  submitLabel: string;
}) {
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" noValidate className="card">
      <FormError message={errors.form} />
      <input type="hidden" name="intent" value="save" />
      <Field label="Title" name="title" defaultValue={values.title ?? ""} error={errors.title} maxLength={MACRO_TITLE_MAX_LENGTH} required />
      <TextareaField
        label="Reply text"
        name="body"
        rows={8}
        maxLength={REPLY_MAX_LENGTH}
        defaultValue={values.body ?? ""}
        error={errors.body}
        hint={
          <>
            Placeholders: {MACRO_PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")}, and {"{{article:<slug>}}"} for an article's title and address (e.g.{" "}
            {"{{article:verification-email-not-received}}"}).
          </>
        }
      />
      <div className="field">
        <label htmlFor="field-setsStatus">Status when sent</label>
        <select id="field-setsStatus" name="setsStatus" defaultValue={values.setsStatus ?? ""}>
          <option value="">Leave the status as it is</option>
          {STATUS_CHOICES.map((s) => (
            <option key={s} value={s}>
              {AGENT_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button" disabled={busy}>
        {submitLabel}
      </button>
    </Form>
  );
}

import { useEffect, useRef, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { FieldFrame } from "~/components/form";

// The select and textarea twins of ~/components/form's Field, in the same frame.

export function SelectField({
  label,
  name,
  error,
  hint,
  options,
  placeholder,
  defaultValue,
  ...select
}: {
  label: string;
  name: string;
  error?: string;
  hint?: ReactNode;
  options: { value: string; label: string }[];
  placeholder: string;
  defaultValue?: string;
} & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = select.id ?? `field-${name}`;
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      {(describedBy) => (
        <select id={id} name={name} defaultValue={defaultValue ?? ""} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...select}>
          <option value="" disabled>
            {placeholder}
          </option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

export function TextareaField({
  label,
  name,
  error,
  hint,
  defaultValue,
  after,
  afterId,
  ...textarea
}: {
  label: string;
  name: string;
  error?: string;
  hint?: ReactNode;
  defaultValue?: string;
  /** Shown under the field, e.g. a character count; `afterId` joins it to the description. */
  after?: ReactNode;
  afterId?: string;
} & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = textarea.id ?? `field-${name}`;
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} after={after} afterId={afterId}>
      {(describedBy) => (
        <textarea id={id} name={name} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...textarea} />
      )}
    </FieldFrame>
  );
}

/**
 * "Please fix these": every field error as a link to its field, at the top of the form; focused
 * when a submission brings it (`submitted`, the answer's errors), not as errors clear while typing.
 */
export function ErrorSummary({ errors, labels, submitted = errors }: { errors: Record<string, string>; labels: Record<string, string>; submitted?: object }) {
  // In the order the fields appear on the form (the order of `labels`).
  const fieldErrors = Object.keys(labels)
    .filter((field) => errors[field])
    .map((field) => [field, errors[field]] as const);
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    summary.current?.focus();
  }, [submitted]);
  if (fieldErrors.length === 0) return null;
  return (
    <div className="form-error error-summary" role="alert" tabIndex={-1} ref={summary}>
      <p className="error-summary__title">
        {fieldErrors.length === 1 ? "One thing needs fixing before we can send this:" : `${fieldErrors.length} things need fixing before we can send this:`}
      </p>
      <ul>
        {fieldErrors.map(([field, message]) => (
          <li key={field}>
            <a href={`#field-${field}`}>
              {labels[field].endsWith("?") ? `${labels[field]} ${message}` : `${labels[field]}: ${message}`}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

import { useEffect, useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from "react";

interface FrameProps {
  id: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  /** Shown under the control, e.g. a character count; `afterId` joins it to the description. */
  after?: ReactNode;
  afterId?: string;
  /** A tighter frame, for fields inside a side panel. */
  compact?: boolean;
  /** Extra classes for the frame, e.g. a kind of field with a look of its own. */
  className?: string;
  /** Marked invalid for a problem found in the browser, before any error from the server. */
  invalid?: boolean;
  /** Renders the control with the ids of its hint, extra text and error for aria-describedby. */
  children: (describedBy: string | undefined) => ReactNode;
}

/**
 * Label, hint, control and error, wired for screen readers, with the error beside the field:
 * the frame shared by every kind of form field.
 */
export function FieldFrame({ id, label, error, hint, after, afterId, compact = false, className, invalid = false, children }: FrameProps) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null, afterId || null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${className ? ` ${className}` : ""}${compact ? " field--compact" : ""}${error || invalid ? " field--invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children(describedBy)}
      {after}
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled input with its error beside it. */
export function Field({
  label,
  name,
  error,
  hint,
  defaultValue,
  ...input
}: { label: string; name: string; error?: string; hint?: ReactNode; defaultValue?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = input.id ?? `field-${name}`;
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      {(describedBy) => (
        <input id={id} name={name} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      )}
    </FieldFrame>
  );
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}

type FormControl = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/**
 * A form's field errors that go away as the learner fixes them (with JavaScript): a field's
 * error clears as soon as what it holds passes the field's own checks (required, email shape,
 * length), and the summary built from these errors shrinks with it. A new answer from the
 * server brings its errors back. Put `onChange` on the form.
 */
export function useErrorsThatClear(errors: Record<string, string>) {
  const [live, setLive] = useState(errors);
  useEffect(() => setLive(errors), [errors]);
  const onChange = (event: FormEvent<HTMLFormElement>) => {
    const control = event.target as FormControl;
    const name = control?.name;
    if (!name || !(name in live) || typeof control.checkValidity !== "function") return;
    if (!control.checkValidity() || (control.required && control.value.trim() === "")) return;
    setLive((current) => {
      const { [name]: _fixed, ...rest } = current;
      return rest;
    });
  };
  return { errors: live, onChange };
}

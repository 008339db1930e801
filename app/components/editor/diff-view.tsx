import type { DiffPart } from "~/modules/kb/editor-rules";

/** Words removed struck out, words added marked; screen readers hear "removed"/"added" around them. */
export function DiffView({ parts, label }: { parts: DiffPart[]; label: string }) {
  const changed = parts.some((p) => p.kind !== "same");
  return (
    <figure className="diff">
      <figcaption className="visually-hidden">{label}</figcaption>
      {changed ? null : <p className="muted">No differences.</p>}
      <pre className="diff__text">
        {parts.map((part, i) =>
          part.kind === "same" ? (
            <span key={i}>{part.text}</span>
          ) : part.kind === "removed" ? (
            <del key={i} aria-label={`removed: ${part.text}`}>
              {part.text}
            </del>
          ) : (
            <ins key={i} aria-label={`added: ${part.text}`}>
              {part.text}
            </ins>
          )
        )}
      </pre>
    </figure>
  );
}

import { snippetSegments } from "~/modules/kb/search-text";

/** A search snippet with its matched words in <mark>, rendered as text (never as HTML). */
export function Snippet({ snippet, highlights }: { snippet: string; highlights: [number, number][] }) {
  return (
    <>
      {snippetSegments(snippet, highlights).map((segment, i) => (segment.highlighted ? <mark key={i}>{segment.text}</mark> : <span key={i}>{segment.text}</span>))}
    </>
  );
}

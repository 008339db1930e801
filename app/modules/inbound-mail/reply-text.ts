// The part of an emailed reply that is new: our "reply above this line" marker first, then
// planer (quotation headers in many languages, Outlook's From:/Sent: blocks), then signatures.
// A reply written between the lines of the quote keeps those lines, so the answers keep their
// questions. The whole message stays stored; the agent opens it with "Show the original".
import planer from "planer";

const MARKER = /please type your reply above this line/i;
const QUOTED = /^\s*>/;
// "-- " alone on a line is the standard signature delimiter; phones add their own lines.
const SIGNATURE_START = /^(-- ?|Sent from my (iPhone|iPad|Android|mobile device|phone).*|Get Outlook for (iOS|Android).*|Envoyé de mon iPhone|Von meinem iPhone gesendet)$/i;

export function replyText(fullText: string): string {
  let lines = fullText.replace(/\r\n?/g, "\n").split("\n");
  const marker = lines.findIndex((line) => MARKER.test(line));
  // Everything from our marker down is what we sent, with the attribution line introducing it.
  if (marker >= 0) lines = dropTrailingQuote(lines.slice(0, marker));
  if (hasAnswersInsideQuote(lines)) return cutSignature(dropTrailingQuote(lines)).join("\n").trim();
  const joined = lines.join("\n");
  let kept = joined;
  try {
    kept = planer.extractFrom(joined, "text/plain");
  } catch {
    // planer gave up on this text: keep it whole rather than lose the reply.
  }
  const result = cutSignature(kept.split("\n")).join("\n").trim();
  return result || joined.trim();
}

/** Quoted lines, then a line of their own, then quoted lines again: the answers are inside the quote. */
function hasAnswersInsideQuote(lines: string[]): boolean {
  let seenQuote = false;
  let answeredAfterQuote = false;
  for (const line of lines) {
    if (QUOTED.test(line)) {
      if (answeredAfterQuote) return true;
      seenQuote = true;
    } else if (seenQuote && line.trim() && !SIGNATURE_START.test(line.trim())) {
      answeredAfterQuote = true;
    }
  }
  return false;
}

const ATTRIBUTION = /(wrote|schrieb|écrit|escribió|scritto|schreef|skrev|napisał)\s*:\s*$/i;

function dropTrailingQuote(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && (QUOTED.test(lines[end - 1]) || !lines[end - 1].trim())) end--;
  // The attribution ("On …, … wrote:") belongs to the quote it introduced; mail programs wrap it
  // over two lines when the sender's name is long.
  if (end > 0 && ATTRIBUTION.test(lines[end - 1])) {
    end--;
    if (end > 0 && !/^\s*(on|am|le|el|il|op|den|w dniu)\b/i.test(lines[end]) && /^\s*(on|am|le|el|il|op|den|w dniu)\b/i.test(lines[end - 1])) end--;
  }
  while (end > 0 && !lines[end - 1].trim()) end--;
  return lines.slice(0, end);
}

function cutSignature(lines: string[]): string[] {
  const start = lines.findIndex((line) => SIGNATURE_START.test(line.trimEnd()));
  return start >= 0 ? lines.slice(0, start) : lines;
}

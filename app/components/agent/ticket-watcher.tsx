import { useFetcher, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

// With JavaScript: asks every few seconds who else has the ticket open and whether it changed,
// and says so above the composer. Without JavaScript the collision guard still refuses a stale send.
const POLL_MS = 5000;

interface Activity {
  viewers: string[];
  changed: boolean;
  newEntries: { kind: string; authorName?: string; visibility?: string; author?: string }[];
}

export function TicketWatcher({ ticketId, state }: { ticketId: string; state: string }) {
  const fetcher = useFetcher<Activity>();
  const revalidator = useRevalidator();
  const href = `/agent/tickets/${ticketId}/activity?state=${encodeURIComponent(state)}`;
  useEffect(() => {
    fetcher.load(href);
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible") fetcher.load(href);
    }, POLL_MS);
    return () => window.clearInterval(timer);
    // fetcher is a new object on every render; the href alone decides what to poll.
  }, [href]); // eslint-disable-line react-hooks/exhaustive-deps
  const activity = fetcher.data;
  if (!activity || (!activity.changed && activity.viewers.length === 0)) return <div role="status" aria-live="polite" className="visually-hidden" />;
  return (
    <div role="status" aria-live="polite" className="card presence">
      {activity.viewers.length ? <p>{namesInWords(activity.viewers)} {activity.viewers.length === 1 ? "is" : "are"} also looking at this ticket.</p> : null}
      {activity.changed ? (
        <p>
          <strong>{changeInWords(activity.newEntries)}</strong> Sending now would be refused.{" "}
          <button type="button" className="button button--small button--quiet" onClick={() => revalidator.revalidate()}>
            Show the new entries
          </button>
        </p>
      ) : null}
    </div>
  );
}

function namesInWords(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

function changeInWords(entries: Activity["newEntries"]): string {
  const reply = entries.find((e) => e.kind === "message" && e.author === "agent" && e.visibility === "public");
  if (reply) return `${reply.authorName} replied to this ticket since you opened it.`;
  const requester = entries.find((e) => e.kind === "message" && e.author === "requester");
  if (requester) return "The requester wrote again since you opened it.";
  return "This ticket changed since you opened it.";
}

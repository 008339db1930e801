import { describe, expect, test } from "vitest";
import { parseForm } from "~/lib/forms";
import { GuestTicketForm, ReplyForm } from "~/modules/tickets/schemas";
import {
  canAgentSetStatus,
  canRequesterClose,
  canRequesterReopen,
  cleanMultilineText,
  cleanSingleLineText,
  statusAfterAgentReply,
  statusAfterRequesterAction,
  statusAfterRequesterReply,
  suggestionQuery,
  ticketFormLink,
  ticketFormPrefill,
  TICKET_STATUSES,
} from "~/modules/tickets/ticket-rules";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

const validGuest = {
  name: "Ana Souza",
  email: "ana@example.org",
  category: "missing_badge",
  subject: "My badge is not in my backpack",
  description: "I got an email about Data Literacy but can't see it.",
  idempotencyKey: "0b6f2c8e-3f7a-4c1e-9d2b-5a6e7f8a9b0c",
};

describe("status rules", () => {
  test("a learner's reply hands a waiting, resolved or closed ticket back to Customer Care", () => {
    expect(statusAfterRequesterReply("new")).toBe("new");
    expect(statusAfterRequesterReply("open")).toBe("open");
    expect(statusAfterRequesterReply("pending")).toBe("open");
    expect(statusAfterRequesterReply("resolved")).toBe("open");
    expect(statusAfterRequesterReply("closed")).toBe("open");
  });

  test("a learner can close any ticket that isn't closed, and reopen only resolved or closed ones", () => {
    for (const status of TICKET_STATUSES) expect(canRequesterClose(status)).toBe(status !== "closed");
    expect(TICKET_STATUSES.filter(canRequesterReopen)).toEqual(["resolved", "closed"]);
    expect(statusAfterRequesterAction("reopen", "closed")).toBe("open");
    expect(statusAfterRequesterAction("reopen", "open")).toBeNull();
    expect(statusAfterRequesterAction("close", "pending")).toBe("closed");
  });

  test("an agent moves a ticket anywhere but back to new; a reply takes a new ticket into work", () => {
    expect(canAgentSetStatus("new", "pending")).toBe(true);
    expect(canAgentSetStatus("closed", "open")).toBe(true);
    expect(canAgentSetStatus("open", "new")).toBe(false);
    expect(canAgentSetStatus("open", "open")).toBe(false);
    expect(statusAfterAgentReply("new")).toBe("open");
    expect(statusAfterAgentReply("pending")).toBe("pending");
    expect(statusAfterAgentReply("open", "resolved")).toBe("resolved");
    expect(statusAfterAgentReply("open", "new")).toBe("open");
  });
});

describe("text cleaning", () => {
  test("line breaks are normalised and NUL characters dropped, so the stored text is what was typed", () => {
    expect(cleanMultilineText("  line one\r\nline two\rthree\u0000  ")).toBe("line one\nline two\nthree");
    expect(cleanMultilineText("tab\there")).toBe("tab\there");
  });

  test("a subject stays on one line: no header can be smuggled into an email subject", () => {
    expect(cleanSingleLineText("Hello\r\nBcc: victim@example.org")).toBe("Hello Bcc: victim@example.org");
  });

  test("the suggestion query joins subject and description and stays short, cut at a word", () => {
    expect(suggestionQuery("Badge missing", "from my backpack")).toBe("Badge missing from my backpack");
    const long = suggestionQuery("subject", "word ".repeat(100));
    expect(long.length).toBeLessThanOrEqual(200);
    expect(long.endsWith("word")).toBe(true);
  });

});

describe("ticket form", () => {
  test("a complete guest form parses, with optional fields absent when left empty", () => {
    const parsed = parseForm(form({ ...validGuest, issuerOrBadge: "  ", badgeEmail: "" }), GuestTicketForm);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.data.issuerOrBadge).toBeUndefined();
      expect(parsed.data.badgeEmail).toBeUndefined();
    }
  });

  test("each bad field gets its own message and everything typed comes back", () => {
    const parsed = parseForm(form({ ...validGuest, email: "ana@", category: "", subject: "", badgeEmail: "not an address" }), GuestTicketForm);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors).toMatchObject({
        email: "Enter an email address like name@example.org.",
        category: "Choose what your question is about.",
        badgeEmail: "Enter an email address like name@example.org, or leave this empty.",
      });
      expect(parsed.errors.subject).toMatch(/Enter a subject/);
      expect(parsed.values.description).toBe(validGuest.description);
      expect(parsed.values.idempotencyKey).toBe(validGuest.idempotencyKey);
    }
  });

  test("a description of 10,000 characters typed with Windows line breaks is accepted; one more is not", () => {
    const typed = `${"a".repeat(4999)}\r\n${"b".repeat(5000)}`; // 10,000 characters as the browser counts them
    expect(parseForm(form({ ...validGuest, description: typed }), GuestTicketForm).ok).toBe(true);
    const tooLong = parseForm(form({ ...validGuest, description: `${typed}c` }), GuestTicketForm);
    expect(tooLong.ok).toBe(false);
    if (!tooLong.ok) expect(tooLong.errors.description).toBe("Use at most 10,000 characters.");
  });

  test("a reply needs words", () => {
    const parsed = parseForm(form({ intent: "reply", body: "   \r\n ", idempotencyKey: validGuest.idempotencyKey }), ReplyForm);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.body).toBe("Write your reply.");
  });
});

describe("the ticket form filled in from a link", () => {
  test("takes the known fields, a known category only, each cut to its limit", () => {
    const link = ticketFormLink({ category: "missing_badge", subject: "Badges sent to a misspelling", badgeEmail: "ana.suoza@example.org" });
    expect(link).toBe("/tickets/new?category=missing_badge&subject=Badges+sent+to+a+misspelling&badgeEmail=ana.suoza%40example.org");
    expect(ticketFormPrefill(new URL(link, "http://x").searchParams)).toEqual({
      category: "missing_badge",
      subject: "Badges sent to a misspelling",
      badgeEmail: "ana.suoza@example.org",
    });
    const junk = new URLSearchParams({ category: "free_money", name: "Mallory", email: "m@example.org", subject: "x".repeat(500) });
    expect(ticketFormPrefill(junk)).toEqual({ subject: "x".repeat(150) });
    expect(ticketFormLink({})).toBe("/tickets/new");
  });
});

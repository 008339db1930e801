import { describe, expect, test } from "vitest";
import { readComposerIntent } from "~/modules/tickets/agent-desk-forms";
import { appendToDraft, articleSlugsIn, fillMacro, placeholderProblem } from "~/modules/tickets/macro-rules";
import { classifyQueueSearch, countInWords, decodeCursor, encodeCursor, parseQueueQuery, queueHref, statusesFor, waitInWords } from "~/modules/tickets/queue-rules";

describe("queue rules", () => {
  const now = new Date("2026-01-10T12:00:00Z");
  test("wait time in words", () => {
    expect(waitInWords(null, now)).toBeNull();
    expect(waitInWords(new Date("2026-01-10T11:59:30Z"), now)).toBe("just now");
    expect(waitInWords(new Date("2026-01-10T11:59:00Z"), now)).toBe("1 minute");
    expect(waitInWords(new Date("2026-01-10T09:00:00Z"), now)).toBe("3 hours");
    expect(waitInWords("2026-01-08T12:00:00Z", now)).toBe("2 days");
    expect(waitInWords("2025-12-01T12:00:00Z", now)).toBe("5 weeks");
  });

  test("a search is a reference, an address or words", () => {
    expect(classifyQueueSearch("bd-7k2m-q9tx")).toEqual({ kind: "reference", reference: "BD-7K2M-Q9TX" });
    expect(classifyQueueSearch("7K2MQ9TX")).toEqual({ kind: "reference", reference: "BD-7K2M-Q9TX" });
    expect(classifyQueueSearch("Ana.Souza@Example.org")).toEqual({ kind: "email", email: "ana.souza@example.org" });
    expect(classifyQueueSearch("badge missing")).toEqual({ kind: "words", words: "badge missing" });
    // Eight letters without a digit are a word, not a reference.
    expect(classifyQueueSearch("verified")).toEqual({ kind: "words", words: "verified" });
    // A reference made only of letters is still one when it carries its "BD".
    expect(classifyQueueSearch("bd-nzhg-jtjb")).toEqual({ kind: "reference", reference: "BD-NZHG-JTJB" });
    expect(classifyQueueSearch("sent-back")).toEqual({ kind: "words", words: "sent-back" });
    expect(classifyQueueSearch("  ")).toEqual({ kind: "none" });
  });

  test("the query reads from the URL, falling back to defaults for anything unknown", () => {
    const query = parseQueueQuery(new URLSearchParams("view=bogus&sort=activity&category=pathways&status=nope&assignee=<script>&q=%20hi%20"));
    expect(query).toEqual({ view: "open", sort: "activity", category: "pathways", status: null, assignee: null, q: "hi", after: null });
    expect(queueHref(query)).toBe("/agent?sort=activity&category=pathways&q=hi");
    expect(queueHref({ view: "open" })).toBe("/agent");
  });

  test("cursors survive the round trip; forged ones are ignored", () => {
    const cursor = { key: "2026-01-10T12:00:00.000Z", id: "8c1f1a52-6a55-4bb4-9a11-2f1c1c8f0d3e" };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor(encodeCursor({ key: null, id: cursor.id }))).toEqual({ key: null, id: cursor.id });
    expect(decodeCursor("yesterday_not-a-uuid")).toBeNull();
    expect(decodeCursor(`garbage_${cursor.id}`)).toBeNull();
  });

  test("the status filter narrows a view and never widens it", () => {
    expect(statusesFor("open", null)).toEqual(["new", "open"]);
    expect(statusesFor("open", "new")).toEqual(["new"]);
    expect(statusesFor("open", "resolved")).toEqual([]);
  });

  test("counts stop at the cap", () => {
    expect(countInWords(12)).toBe("12");
    expect(countInWords(1000)).toBe("1,000+");
  });
});

describe("macro rules", () => {
  const context = {
    requesterName: "Ana Souza",
    reference: "BD-7K2M-Q9TX",
    ticketLink: "https://help.example/tickets/1",
    articles: new Map([["lost-award-email", { title: "I lost my award email", url: "https://help.example/faq/x/lost-award-email" }]]),
  };

  test("placeholders are filled in; an unpublished article shows in brackets for the agent to fix", () => {
    expect(fillMacro("Hi {{requester.name}}, re {{ ticket.reference }} ({{ticket.link}}). {{article:lost-award-email}}", context)).toBe(
      "Hi Ana Souza, re BD-7K2M-Q9TX (https://help.example/tickets/1). I lost my award email: https://help.example/faq/x/lost-award-email",
    );
    expect(fillMacro("{{article:gone}}", context)).toBe('[article "gone" is not published]');
  });

  test("unknown placeholders and articles are refused in words", () => {
    const known = new Set(["lost-award-email"]);
    expect(placeholderProblem("Hi {{requester.name}} {{article:lost-award-email}}", known)).toBeNull();
    expect(placeholderProblem("Hi {{name}}", known)).toMatch(/\{\{name\}\} is not a placeholder/);
    expect(placeholderProblem("{{article:Nope Nope}}", known)).toMatch(/address name/);
    expect(placeholderProblem("{{article:missing}}", known)).toMatch(/no published article "missing"/);
    expect(articleSlugsIn("{{article:a}} {{article:b}} {{article:a}}")).toEqual(["a", "b"]);
  });

  test("inserted text follows the draft after a blank line", () => {
    expect(appendToDraft("", "Macro")).toBe("Macro");
    expect(appendToDraft("Hello\n\n", "Macro")).toBe("Hello\n\nMacro");
  });

  test("composer buttons", () => {
    expect(readComposerIntent("send-resolve")).toEqual({ kind: "send", status: "resolved" });
    expect(readComposerIntent("insert-article:lost-award-email")).toEqual({ kind: "insert-article", slug: "lost-award-email" });
    expect(readComposerIntent("insert-article:../../etc")).toBeNull();
    expect(readComposerIntent("delete-everything")).toBeNull();
  });
});

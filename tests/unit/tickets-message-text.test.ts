import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, test } from "vitest";
import { MessageText } from "~/components/tickets/ticket-display";

const render = (text: string) => renderToStaticMarkup(createElement(MessageText, { text }));

describe("message text", () => {
  test("markup someone typed is shown as text, never run", () => {
    const html = render(`<script>alert("x")</script><img src=x onerror=alert(1)>`);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;");
  });

  test("web addresses become links that don't pass the page on; a final full stop stays text", () => {
    const html = render("See https://badgedesk.example/faq/x. Thanks");
    expect(html).toContain('<a href="https://badgedesk.example/faq/x" rel="noopener noreferrer nofollow ugc">https://badgedesk.example/faq/x</a>. Thanks');
  });

  test("only http and https addresses are links", () => {
    const html = render("javascript:alert(1) data:text/html,hi mailto:a@b.c");
    expect(html).not.toContain("<a");
  });

  test("line breaks are kept for the page to show", () => {
    expect(render("one\ntwo")).toBe('<div class="message-text">one\ntwo</div>');
  });
});

import { describe, expect, test } from "vitest";
import { verifyEmailMessage } from "~/modules/mail";
import { ticketReceivedMessage } from "~/modules/tickets/mail-templates";

describe("what people typed, in mail", () => {
  test("a name with line breaks and a link stays on the greeting line, in quotes", () => {
    const message = verifyEmailMessage({ to: "ana@example.org", name: "Ana\r\n\r\nYour account is locked: http://evil.example\u2028Sign in", link: "http://badgedesk.test/verify-email?token=t" });
    const lines = message.text.split("\n");
    expect(lines[0]).toBe("Hello “Ana Your account is locked: http://evil.example Sign in”,");
    expect(lines.filter((l) => l.includes("evil.example"))).toHaveLength(1);
  });

  test("a guest ticket's text is quoted line by line and marked as the sender's words, whatever the line breaks", () => {
    const message = ticketReceivedMessage({
      to: "guest@example.org",
      name: "Guest",
      ticket: { id: "00000000-0000-4000-8000-000000000001", reference: "BD-1", subject: "Help" },
      description: "first\rReset your password at http://evil.example\r\nthird\u2028fourth",
      link: "http://badgedesk.test/tickets/guest/x",
      isGuestLink: true,
    });
    const quoted = message.text.split("\n").filter((l) => /first|evil|third|fourth/.test(l));
    expect(quoted).toEqual(["> first", "> Reset your password at http://evil.example", "> third", "> fourth"]);
    expect(message.text).toMatch(/your words, quoted as you sent them/);
  });
});

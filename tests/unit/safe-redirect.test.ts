import { describe, expect, test } from "vitest";
import { safeRedirectTarget, sameOriginPath } from "~/lib/safe-redirect";
import { devMailboxOpenTo } from "~/lib/config.server";

const APP = "https://help.badgedesk.example";

describe("redirect targets taken from input", () => {
  test("paths on the app's origin are followed, normalised", () => {
    expect(sameOriginPath("/my/badges", APP)).toBe("/my/badges");
    expect(sameOriginPath("/tickets?status=open#top", APP)).toBe("/tickets?status=open#top");
    expect(sameOriginPath("/faq/../tickets", APP)).toBe("/tickets");
  });

  // The probe table of issue 10: every one of these goes to "/", and none can break the header.
  test.each([
    ["tab between slashes", "/\t/evil.example"],
    ["line feed between slashes", "/\n/evil.example"],
    ["carriage return between slashes", "/\r/evil.example"],
    ["protocol-relative", "//evil.example"],
    ["backslash", "/\\evil.example"],
    ["backslash after slash", "/\\/evil.example"],
    ["absolute http", "http://evil.example/"],
    ["absolute https", "https://evil.example/"],
    ["scheme-relative with userinfo", "//user@evil.example"],
    ["javascript:", "javascript:alert(1)"],
    ["data:", "data:text/html,hi"],
    ["relative path", "my/badges"],
    ["empty", ""],
    ["not a string", ["/a", "/b"]],
    ["missing", undefined],
  ])("%s is refused", (_name, target) => {
    expect(sameOriginPath(target, APP)).toBeNull();
    expect(safeRedirectTarget(target, APP)).toBe("/");
  });

  test.each([
    ["NUL", "/a\u0000b"],
    ["line feed", "/a\nb"],
    ["carriage return", "/a\rb"],
    ["ideographic space", "/a\u3000b"],
    ["space", "/a b"],
  ])("%s in a path gives a valid header value, never an exception", (_name, target) => {
    const path = safeRedirectTarget(target, APP);
    expect(path.startsWith("/")).toBe(true);
    expect(() => new Headers({ Location: path })).not.toThrow();
    expect(path).toMatch(/^[\x21-\x7e]+$/);
  });
});

describe("who may read the development mailbox", () => {
  const local = { appUrl: "http://localhost:3000" };
  test("everyone, on the embedded database with no SMTP and an http APP_URL on this machine", () => {
    expect(devMailboxOpenTo(local)).toBe(true);
    expect(devMailboxOpenTo({ appUrl: "http://127.0.0.1:3000" })).toBe(true);
    expect(devMailboxOpenTo({ appUrl: "http://[::1]:3000" })).toBe(true);
  });
  test("admins only anywhere else, unless DEV_MAILBOX=open says so", () => {
    expect(devMailboxOpenTo({ appUrl: "https://localhost:3000" })).toBe(false);
    expect(devMailboxOpenTo({ appUrl: "https://help.badgedesk.example" })).toBe(false);
    expect(devMailboxOpenTo({ appUrl: "http://help.badgedesk.example" })).toBe(false);
    expect(devMailboxOpenTo({ ...local, databaseUrl: "postgres://db/badgedesk" })).toBe(false);
    expect(devMailboxOpenTo({ ...local, smtpUrl: "smtp://mail.example" })).toBe(false);
    expect(devMailboxOpenTo({ ...local, setting: "admins" })).toBe(false);
    expect(devMailboxOpenTo({ appUrl: "https://help.badgedesk.example", setting: "open" })).toBe(true);
  });
});

import express from "express";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, test } from "vitest";
import { finalCacheControl, finishHeaders, originMatchesHost, originVerdict, ownOrigins, trustProxySetting } from "../../server/request-policy";

describe("TRUST_PROXY: which address is the client", () => {
  async function clientIpSeen(setting: string | undefined, forwardedFor: string): Promise<string> {
    const app = express();
    app.set("trust proxy", trustProxySetting(setting));
    app.get("/", (req, res) => res.send(req.ip));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers: { "X-Forwarded-For": forwardedFor } });
      return await response.text();
    } finally {
      server.close();
    }
  }

  test("one proxy: the right-most address, the one the proxy added; what the client wrote is ignored", async () => {
    expect(await clientIpSeen("1", "6.6.6.6, 203.0.113.9")).toBe("203.0.113.9");
    expect(await clientIpSeen("2", "6.6.6.6, 198.51.100.4, 203.0.113.9")).toBe("198.51.100.4");
  });

  test("no proxy: X-Forwarded-For is not read at all", async () => {
    expect(await clientIpSeen(undefined, "6.6.6.6")).toBe("127.0.0.1");
    expect(await clientIpSeen("0", "6.6.6.6")).toBe("127.0.0.1");
  });

  test("TRUST_PROXY=true, which would trust the client's own left-most address, refuses to start", () => {
    expect(() => trustProxySetting("true")).toThrow(/number of proxies/);
  });
});

describe("the Origin check", () => {
  const own = ["https://help.badgedesk.example"];
  const post = (headers: { origin?: string; fetchSite?: string }) => originVerdict({ method: "POST", origin: headers.origin, fetchSite: headers.fetchSite, ownOrigins: own });

  test.each([
    ["no Origin and no Sec-Fetch-Site (a Referer alone proves nothing)", {}],
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["the same host over http", { origin: "http://help.badgedesk.example" }],
    ["the same host on another port", { origin: "https://help.badgedesk.example:8443" }],
    ["Origin: null", { origin: "null" }],
    ["no Origin, Sec-Fetch-Site: cross-site", { fetchSite: "cross-site" }],
    ["no Origin, Sec-Fetch-Site: same-site (a sibling subdomain)", { fetchSite: "same-site" }],
  ])("refuses %s", (_name, headers) => {
    expect(post(headers)).toBe("foreign");
  });

  test.each([
    ["its own Origin", { origin: "https://help.badgedesk.example" }],
    ["its own Origin with the default port spelt out", { origin: "https://help.badgedesk.example:443" }],
    ["no Origin, Sec-Fetch-Site: same-origin", { fetchSite: "same-origin" }],
    ["no Origin, Sec-Fetch-Site: none", { fetchSite: "none" }],
  ])("accepts %s", (_name, headers) => {
    expect(post(headers)).toBe("allowed");
  });

  test("behind a proxy that ends TLS, an http page on the site's host is not the site", () => {
    // The connection is http (no X-Forwarded-Proto trusted); the site is https.
    const own = ownOrigins({ appUrl: "https://help.badgedesk.example", protocol: "http", host: "help.badgedesk.example" });
    expect(own).toEqual(["https://help.badgedesk.example"]);
    expect(originVerdict({ method: "POST", origin: "http://help.badgedesk.example", fetchSite: undefined, ownOrigins: own })).toBe("foreign");
    // Reached by another name (a local setup, a server tried directly): that address counts.
    expect(ownOrigins({ appUrl: "http://localhost:3000", protocol: "http", host: "127.0.0.1:3000" })).toEqual(["http://localhost:3000", "http://127.0.0.1:3000"]);
    expect(ownOrigins({ appUrl: "https://help.badgedesk.example", protocol: "http", host: "127.0.0.1:3000" })).toEqual(["https://help.badgedesk.example", "http://127.0.0.1:3000"]);
    expect(ownOrigins({ appUrl: undefined, protocol: "http", host: "localhost:3000" })).toEqual(["http://localhost:3000"]);
  });

  test("a post's Origin must name the host it was sent to (X-Forwarded-Host first), as Remix requires", () => {
    const origin = "https://help.badgedesk.example";
    expect(originMatchesHost({ origin, host: "help.badgedesk.example", forwardedHost: undefined })).toBe(true);
    expect(originMatchesHost({ origin, host: "10.0.0.5:3000", forwardedHost: "help.badgedesk.example, proxy.internal" })).toBe(true);
    expect(originMatchesHost({ origin, host: "evil.example", forwardedHost: undefined })).toBe(false);
    expect(originMatchesHost({ origin, host: "help.badgedesk.example", forwardedHost: "evil.example" })).toBe(false);
    // A browser that sends no Origin (Sec-Fetch-Site: same-origin) is not compared.
    expect(originMatchesHost({ origin: undefined, host: "evil.example", forwardedHost: undefined })).toBe(true);
  });

  test("GET is never refused", () => {
    expect(originVerdict({ method: "GET", origin: "https://evil.example", fetchSite: "cross-site", ownOrigins: own })).toBe("allowed");
  });
});

describe("Cache-Control", () => {
  test("a response with a session or a token is private, no-store, whatever the page said", () => {
    expect(finalCacheControl({ url: "/faq", cookie: "bd_session=abc", current: "public, max-age=0, must-revalidate" })).toBe("private, no-store");
    expect(finalCacheControl({ url: "/reset-password?token=abc", cookie: undefined, current: "public, max-age=60" })).toBe("private, no-store");
    expect(finalCacheControl({ url: "/my/badges", cookie: "bd_session=abc", current: undefined })).toBe("private, no-store");
  });

  test("a page that says nothing is private; an anonymous public page keeps its header", () => {
    expect(finalCacheControl({ url: "/admin/roles", cookie: undefined, current: undefined })).toBe("private, no-store");
    expect(finalCacheControl({ url: "/faq", cookie: undefined, current: "public, max-age=0, must-revalidate" })).toBe("public, max-age=0, must-revalidate");
    expect(finalCacheControl({ url: "/faq", cookie: "other=1", current: "public, max-age=0, must-revalidate" })).toBe("public, max-age=0, must-revalidate");
  });
});

describe("headers every response leaves with", () => {
  async function answer(handler: (res: ServerResponse) => void): Promise<Response> {
    const server = createServer((req, res) => {
      (res as ServerResponse & { locals: Record<string, unknown> }).locals = {};
      finishHeaders(req, res as ServerResponse & { locals: Record<string, unknown> });
      handler(res);
    }).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      return await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    } finally {
      server.close();
    }
  }

  test("a 429 without Retry-After gets one; one that has it keeps its own", async () => {
    const bare = await answer((res) => {
      res.statusCode = 429;
      res.end("slow down");
    });
    expect(bare.headers.get("retry-after")).toBe("60");
    const own = await answer((res) => res.writeHead(429, { "Retry-After": "17" }).end());
    expect(own.headers.get("retry-after")).toBe("17");
  });

  test("a response that says nothing about caching is private, no-store", async () => {
    const response = await answer((res) => res.end("hello"));
    expect(response.headers.get("cache-control")).toBe("private, no-store");
  });
});

describe("request body limits", () => {
  test("raw email may be large (40 MB, or INBOUND_EMAIL_MAX_BYTES); everything else keeps the general limit", async () => {
    const { bodyLimitFor } = await import("../../server/request-policy");
    expect(bodyLimitFor("/inbound/email", {}, 1024)).toBe(40 * 1024 * 1024);
    expect(bodyLimitFor("/inbound/email", { INBOUND_EMAIL_MAX_BYTES: "5000" }, 1024)).toBe(5000);
    expect(bodyLimitFor("/tickets/new", { INBOUND_EMAIL_MAX_BYTES: "5000" }, 1024)).toBe(1024);
    // A form with files may carry the attachments of one message.
    const uuid = "0b6c2f5e-8a3d-4c1e-9f7a-2d4b6e8c0a1f";
    expect(bodyLimitFor(`/dev/mailbox/${uuid}`, {}, 1024, "multipart/form-data; boundary=x")).toBe(25 * 1024 * 1024 + 1024);
  });

  test("forms with files may carry one message's attachments on exactly the pages that take files", async () => {
    const { bodyLimitFor } = await import("../../server/request-policy");
    const uuid = "0b6c2f5e-8a3d-4c1e-9f7a-2d4b6e8c0a1f";
    const multipart = "multipart/form-data; boundary=----x";
    const withFiles = 25 * 1024 * 1024 + 1024;
    for (const path of ["/tickets/new", "/tickets/new.data", `/tickets/${uuid}`, `/tickets/guest/${"A".repeat(43)}`, `/tickets/guest/${"A".repeat(43)}.data`, `/agent/tickets/${uuid}`]) {
      expect(bodyLimitFor(path, {}, 1024, multipart), path).toBe(withFiles);
      expect(bodyLimitFor(path, {}, 1024, "application/x-www-form-urlencoded"), path).toBe(1024);
    }
    for (const path of ["/signup", "/my/profile", `/agent/accounts/${uuid}`, "/tickets/received", `/tickets/${uuid}/attachments/${uuid}`]) {
      expect(bodyLimitFor(path, {}, 1024, multipart), path).toBe(1024);
    }
    expect(bodyLimitFor("/tickets/new", { ATTACHMENTS_PER_MESSAGE_MAX_BYTES: "5000" }, 1024, multipart)).toBe(6024);
  });
});

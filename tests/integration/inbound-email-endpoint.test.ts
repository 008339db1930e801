// POST /inbound/email as a mail server uses it: the bearer token, the content type, the size
// limit, 2xx only once stored, and a retry that changes nothing.
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { inboundEmails } from "#db/schema";
import { action, loader } from "~/routes/inbound.email";
import { emailFixture } from "../support/email";

const SECRET = "inbound-test-secret-0123456789abcdef";
const post = (body: Buffer | string, headers: Record<string, string> = {}) =>
  action({
    request: new Request("http://badgedesk.test/inbound/email", {
      method: "POST",
      body: typeof body === "string" ? body : new Uint8Array(body),
      headers: { Authorization: `Bearer ${SECRET}`, "Content-Type": "message/rfc822", ...headers },
    }),
    params: {},
    context: {} as never,
  });

beforeEach(() => {
  process.env.INBOUND_EMAIL_SECRET = SECRET;
});
afterEach(() => {
  delete process.env.INBOUND_EMAIL_SECRET;
  delete process.env.INBOUND_EMAIL_MAX_BYTES;
});

describe("POST /inbound/email", () => {
  test("without INBOUND_EMAIL_SECRET the endpoint does not exist", async () => {
    delete process.env.INBOUND_EMAIL_SECRET;
    expect((await post(emailFixture("mailing-list"))).status).toBe(404);
    expect((await loader()).status).toBe(404);
    expect(await db.select().from(inboundEmails)).toEqual([]);
  });

  test("a missing or wrong token is refused and nothing is stored", async () => {
    expect((await post(emailFixture("mailing-list"), { Authorization: "Bearer wrong" })).status).toBe(401);
    expect((await post(emailFixture("mailing-list"), { Authorization: "" })).status).toBe(401);
    expect(await db.select().from(inboundEmails)).toEqual([]);
  });

  test("only message/rfc822 is accepted; an oversized message is refused with 413", async () => {
    expect((await post(emailFixture("mailing-list"), { "Content-Type": "text/plain" })).status).toBe(415);
    process.env.INBOUND_EMAIL_MAX_BYTES = "1000";
    expect((await post(Buffer.concat([emailFixture("mailing-list"), Buffer.alloc(2000, "x")]))).status).toBe(413);
    expect(await db.select().from(inboundEmails)).toEqual([]);
  });

  test("a stored message answers 201; the same message again answers 200 and stores nothing new", async () => {
    const raw = emailFixture("forward-inline-images", { FROM: "dev@example.test" });
    const first = await post(raw);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ duplicate: false, status: "processed", outcome: "new_ticket" });
    const again = await post(raw);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true, outcome: "new_ticket" });
    expect(await db.select().from(inboundEmails)).toHaveLength(1);
  });
});

// The audit log: append-only in the database itself, filtered on the page, exported as CSV, and
// shown to Customer Care only.
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { auditLog } from "#db/schema";
import { AgentActionInput, loadAccountPanel, performAgentAction } from "~/modules/accounts";
import { loader as csvLoader } from "~/routes/agent.audit[.csv]";
import { loader as auditLoader } from "~/routes/agent.audit";
import { addEmail, createLearner } from "../support/factories";
import { createSessionCookie, fileTicket, getPage } from "./accounts-fixtures";

const args = (request: Request) => ({ request, params: {}, context: {} as never });

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("Expected the statement to fail");
}

/** The message of a database error, whichever driver wrapped it. */
const messageOf = (error: Error) => `${error.message} ${String((error as { cause?: Error }).cause?.message ?? "")}`;

describe("audit rows can't be changed or deleted", () => {
  test("the database refuses UPDATE and DELETE, even as raw SQL; the row stays as written", async () => {
    const sam = await createLearner({ roles: ["agent"] });
    const ana = await createLearner();
    await loadAccountPanel({ actor: sam, accountId: ana.id });
    const [row] = await db.select().from(auditLog);

    expect(messageOf(await failure(db.execute(sql`update audit_log set reason = 'nothing to see' where id = ${row.id}`)))).toContain("audit_log is append-only: UPDATE");
    expect(messageOf(await failure(db.update(auditLog).set({ actorId: null }).where(eq(auditLog.id, row.id))))).toContain("append-only");
    expect(messageOf(await failure(db.execute(sql`delete from audit_log`)))).toContain("audit_log is append-only: DELETE");
    expect(await db.select().from(auditLog)).toEqual([row]);
  });
});

async function seedLog() {
  const sam = await createLearner({ name: "Sam Rivera", roles: ["agent"] });
  const lee = await createLearner({ name: "Lee Chen", roles: ["agent"] });
  const ana = await createLearner({ name: "Ana Souza" });
  const ben = await createLearner({ name: "Ben Okafor" });
  const school = await addEmail(ana.id, "ana@school.example");
  const ticket = await fileTicket({ accountId: ana.id, email: ana.email });
  await loadAccountPanel({ actor: sam, accountId: ana.id, ticketId: ticket.id });
  await loadAccountPanel({ actor: lee, accountId: ben.id });
  const input = AgentActionInput.parse({ intent: "send-link", emailId: school.id, ticketId: ticket.id, actionKey: randomUUID() });
  await performAgentAction({ actor: sam, accountId: ana.id, input });
  return { sam, lee, ana, ben, ticket };
}

type Page = { rows: { actorName: string; action: string; accountName: string; ticketReference: string | null }[]; errors: Record<string, string>; values: Record<string, string> };

describe("the audit log page", () => {
  test("filters by agent, account, ticket reference, action and day", async () => {
    const { sam, lee, ana, ticket } = await seedLog();
    const cookie = await createSessionCookie(sam.id);
    const page = async (query: string) => (await auditLoader(args(getPage(`/agent/audit?${query}`, cookie)))) as unknown as Page;

    expect((await page("")).rows.map((r) => r.action)).toEqual(["email.verification_sent", "account.lookup", "account.lookup", "ticket.create"]);
    expect((await page(`agent=${lee.id}`)).rows).toMatchObject([{ actorName: "Lee Chen", accountName: "Ben Okafor" }]);
    expect((await page(`account=${ana.id}`)).rows).toHaveLength(2);
    // Agents know people by their address: any of the account's addresses, any case, finds the same entries.
    expect((await page(`account=${encodeURIComponent(ana.email.toUpperCase())}`)).rows).toHaveLength(2);
    expect((await page("account=nobody%40nowhere.example")).rows).toHaveLength(0);
    expect((await page(`ticket=${ticket.reference.toLowerCase()}`)).rows.map((r) => r.ticketReference)).toEqual([ticket.reference, ticket.reference]);
    expect((await page("action=email.verification_sent")).rows).toMatchObject([{ actorName: "Sam Rivera", accountName: "Ana Souza" }]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await page(`from=${today}&to=${today}`)).rows).toHaveLength(4);
    expect((await page("to=2000-01-01")).rows).toHaveLength(0);
  });

  test("a bad filter is answered beside its field, with what was typed kept", async () => {
    const { sam } = await seedLog();
    const cookie = await createSessionCookie(sam.id);
    const result = (await auditLoader(args(getPage(`/agent/audit?from=yesterday&account=ana`, cookie)))) as unknown as Page;
    expect(result.errors).toMatchObject({ from: "Enter the first date like 2026-03-05.", account: "Enter one of the account's email addresses or its id, or leave it empty." });
    expect(result.values).toMatchObject({ from: "yesterday", account: "ana" });
    expect(result.rows).toEqual([]);
  });

  test("CSV export of the filtered log, safe to open in a spreadsheet", async () => {
    const { sam, ana } = await seedLog();
    await createLearner({ name: "=HYPERLINK(\"http://evil.example\")" });
    const cookie = await createSessionCookie(sam.id);
    const response = (await csvLoader(args(getPage(`/agent/audit.csv?account=${ana.id}`, cookie)))) as Response;
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/attachment; filename="badgedesk-audit-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = (await response.text()).trim().split("\r\n");
    expect(lines[0]).toBe("id,at,agent,agent_id,action,target_type,target_id,account,account_id,ticket,ticket_id,reason,before,after");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain("Sam Rivera");
    expect(lines[1]).toContain("email.verification_sent");
    expect(lines[1]).toContain('"{""email"":""ana@school.example"",""verified"":false}"');
  });

  test("learners and editors get 404, signed-out visitors the login page", async () => {
    const ben = await createLearner();
    const priya = await createLearner({ roles: ["editor"] });
    for (const person of [ben, priya]) {
      const cookie = await createSessionCookie(person.id);
      for (const loader of [auditLoader, csvLoader]) {
        const thrown = await loader(args(getPage("/agent/audit", cookie))).catch((e: unknown) => e);
        expect((thrown as Response).status).toBe(404);
      }
    }
    const anonymous = await auditLoader(args(new Request("http://badgedesk.test/agent/audit"))).catch((e: unknown) => e);
    expect((anonymous as Response).headers.get("Location")).toBe("/login?redirectTo=%2Fagent%2Faudit");
  });
});

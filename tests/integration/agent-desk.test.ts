// The agent desk from an agent's chair: the queue's views, filters, search, order and pages;
// "Take next" under concurrency; the composer (reply, note, status); the collision guard; macros
// and article links; and who may reach any of it.
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { beforeEach, describe, expect, test } from "vitest";
import { db } from "#db/client.server";
import { ticketMessages, tickets } from "#db/schema";
import type { Viewer } from "~/modules/auth";
import {
  addAgentReply,
  countQueueViews,
  findTicketForAgent,
  findTicketForViewer,
  listMacros,
  listQueue,
  loadAgentTicketPage,
  loadQueuePage,
  parseQueueQuery,
  replyAsRequester,
  saveMacro,
  sendFromComposer,
  setStatus,
  takeNextTicket,
  type TicketCategory,
} from "~/modules/tickets";
import { action as queueAction, loader as queueLoader } from "~/routes/agent._index";
import * as macrosRoute from "~/routes/agent.macros._index";
import { action as macrosAction, loader as macrosLoader } from "~/routes/agent.macros._index";
import * as macroRoute from "~/routes/agent.macros.$macroId";
import { action as macroAction, loader as macroLoader } from "~/routes/agent.macros.$macroId";
import * as deleteMacroRoute from "~/routes/agent.macros.$macroId_.delete";
import * as activityRoute from "~/routes/agent.tickets.$ticketId.activity";
import { loader as activityLoader } from "~/routes/agent.tickets.$ticketId.activity";
import * as agentTicketRoute from "~/routes/agent.tickets.$ticketId";
import * as queueRoute from "~/routes/agent._index";
import { action as ticketAction, loader as ticketLoader } from "~/routes/agent.tickets.$ticketId";
import { createLearner, createTicket, latestMailTo, mailCountTo } from "../support/factories";
import { importTestArticles } from "../support/kb";
import { fieldValue, pageText, remixPages, textOfId } from "../support/remix-pages";
import { createSessionCookie, getPage, postForm } from "./accounts-fixtures";

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} }) as never;

function fileTicket(requester: Viewer, { subject = `Question ${randomUUID().slice(0, 6)}`, category = "missing_badge" as TicketCategory } = {}) {
  return createTicket({ requester, subject, category, description: "My badge is not in my backpack." });
}

/** Makes a ticket look as if it was filed `minutes` ago (the queue orders by how long the requester has waited). */
async function backdate(ticketId: string, minutes: number) {
  const at = new Date(Date.now() - minutes * 60_000);
  await db.update(tickets).set({ createdAt: at, awaitingSince: at, lastActivityAt: at }).where(eq(tickets.id, ticketId));
  await db.update(ticketMessages).set({ createdAt: at }).where(eq(ticketMessages.ticketId, ticketId));
}

const agentTicketPage = remixPages([{ id: "routes/agent.tickets.$ticketId", path: "agent/tickets/:ticketId", module: agentTicketRoute }]);
const queuePage = remixPages([{ id: "routes/agent._index", path: "agent", module: queueRoute }]);

const queue = (agentId: string, search: string) => listQueue({ agentId, query: parseQueueQuery(new URLSearchParams(search)) });
const subjects = (page: { rows: { subject: string }[] }) => page.rows.map((r) => r.subject);

let agent: Viewer;
let otherAgent: Viewer;
let learner: Viewer;

beforeEach(async () => {
  agent = await createLearner({ name: "Sam Agent", roles: ["agent"] });
  otherAgent = await createLearner({ name: "Jordan Agent", roles: ["agent"] });
  learner = await createLearner({ name: "Ana Learner" });
});

describe("the queue", () => {
  test("views hold the right tickets, with counts, longest wait first", async () => {
    const waitingLong = await fileTicket(learner, { subject: "Waiting long" });
    const waitingShort = await fileTicket(learner, { subject: "Waiting short" });
    const answered = await fileTicket(learner, { subject: "Answered, still open" });
    const mine = await fileTicket(learner, { subject: "Mine" });
    const pending = await fileTicket(learner, { subject: "Pending" });
    const solved = await fileTicket(learner, { subject: "Solved" });
    await backdate(waitingLong.ticketId, 300);
    await backdate(waitingShort.ticketId, 30);
    await backdate(answered.ticketId, 600);
    await addAgentReply({ ticketId: answered.ticketId, agentId: agent.id, body: "Looking into it." });
    await db.update(tickets).set({ assigneeId: agent.id }).where(eq(tickets.id, mine.ticketId));
    await addAgentReply({ ticketId: pending.ticketId, agentId: agent.id, body: "Which address?", status: "pending" });
    await setStatus({ ticketId: solved.ticketId, agentId: agent.id, status: "resolved" });

    expect(subjects(await queue(agent.id, "view=unassigned"))).toEqual(["Waiting long", "Waiting short", "Answered, still open"]);
    expect(subjects(await queue(agent.id, "view=mine"))).toEqual(["Mine"]);
    expect(subjects(await queue(otherAgent.id, "view=mine"))).toEqual([]);
    // The answered ticket waits for nobody: it sorts after every ticket whose requester wrote last.
    expect(subjects(await queue(agent.id, "view=open"))).toEqual(["Waiting long", "Waiting short", "Mine", "Answered, still open"]);
    expect(subjects(await queue(agent.id, "view=pending"))).toEqual(["Pending"]);
    expect(subjects(await queue(agent.id, "view=solved"))).toEqual(["Solved"]);
    expect(await countQueueViews({ agentId: agent.id })).toEqual({ unassigned: 3, mine: 1, open: 4, pending: 1, solved: 1 });

    const [first] = (await queue(agent.id, "view=open")).rows;
    expect(first.awaitingSince).not.toBeNull(); // shown as "requester wrote last"
    expect((await queue(agent.id, "view=open")).rows.at(-1)!.awaitingSince).toBeNull();
  });

  test("the view counts follow every change, concurrent ones and cascades included, and agree with the tickets", async () => {
    /** The counts as the old queue took them: straight from the tickets. */
    const recount = async (agentId: string) => {
      const all = await db.select({ status: tickets.status, assigneeId: tickets.assigneeId }).from(tickets);
      const count = (ok: (t: (typeof all)[number]) => boolean) => all.filter(ok).length;
      const active = (t: (typeof all)[number]) => t.status === "new" || t.status === "open";
      return {
        unassigned: count((t) => active(t) && t.assigneeId === null),
        mine: count((t) => (active(t) || t.status === "pending") && t.assigneeId === agentId),
        open: count(active),
        pending: count((t) => t.status === "pending"),
        solved: count((t) => t.status === "resolved" || t.status === "closed"),
      };
    };
    const third = await createLearner({ name: "Third Agent", roles: ["agent"] });
    const filed = [];
    for (let i = 0; i < 8; i++) filed.push((await fileTicket(learner, { subject: `Count ${i}` })).ticketId);
    expect(await countQueueViews({ agentId: agent.id })).toEqual({ unassigned: 8, mine: 0, open: 8, pending: 0, solved: 0 });

    // At the same moment: replies (new → open), a reply that sets pending, resolving, and "Take next" by three agents.
    await Promise.all([
      addAgentReply({ ticketId: filed[0], agentId: agent.id, body: "On it." }),
      addAgentReply({ ticketId: filed[1], agentId: otherAgent.id, body: "Which address?", status: "pending" }),
      setStatus({ ticketId: filed[2], agentId: agent.id, status: "resolved" }),
      takeNextTicket({ agentId: agent.id, agentName: agent.name }),
      takeNextTicket({ agentId: otherAgent.id, agentName: otherAgent.name }),
      takeNextTicket({ agentId: third.id, agentName: third.name }),
    ]);
    // Several tickets in one statement, and an assignee's account going away (its tickets go back to the queue by cascade).
    await db.update(tickets).set({ status: "closed" }).where(sql`${tickets.id} in (${filed[3]}, ${filed[4]})`);
    await db.update(tickets).set({ assigneeId: third.id, status: "pending" }).where(eq(tickets.id, filed[5]));
    for (const viewer of [agent, otherAgent, third]) expect(await countQueueViews({ agentId: viewer.id })).toEqual(await recount(viewer.id));
    const leaving = await createLearner({ name: "Leaving Agent", roles: ["agent"] });
    await db.update(tickets).set({ assigneeId: leaving.id }).where(eq(tickets.id, filed[7]));
    expect((await countQueueViews({ agentId: leaving.id })).mine).toBe(1);
    await db.execute(sql`delete from accounts where id = ${leaving.id}`);
    await db.delete(tickets).where(eq(tickets.id, filed[6]));
    for (const viewer of [agent, otherAgent]) expect(await countQueueViews({ agentId: viewer.id })).toEqual(await recount(viewer.id));
    const { counts } = await loadQueuePage({ agentId: agent.id, query: parseQueueQuery(new URLSearchParams()) });
    expect(counts).toEqual(await recount(agent.id));
  });

  test("the agents offered in the filters follow a role granted or removed and a renamed agent at once, as any instance changed them", async () => {
    const names = async () => (await loadQueuePage({ agentId: agent.id, query: parseQueueQuery(new URLSearchParams()) })).agents.map((a) => a.name);
    expect(await names()).toEqual(["Jordan Agent", "Sam Agent"]);
    expect(await names()).toEqual(["Jordan Agent", "Sam Agent"]); // from this instance's copy
    // Changes as another app instance (or an admin's script) would make them: straight in the database.
    await db.execute(sql`insert into account_roles (account_id, role) values (${learner.id}, 'admin')`);
    expect(await names()).toEqual(["Ana Learner", "Jordan Agent", "Sam Agent"]);
    await db.execute(sql`update accounts set name = 'Jordan Lee' where id = ${otherAgent.id}`);
    expect(await names()).toEqual(["Ana Learner", "Jordan Lee", "Sam Agent"]);
    const page = await loadAgentTicketPage({ ticketId: (await fileTicket(learner)).ticketId, agentId: agent.id });
    expect(page!.agents.map((a) => a.name)).toEqual(["Ana Learner", "Jordan Lee", "Sam Agent"]);
    await db.execute(sql`delete from account_roles where account_id = ${learner.id}`);
    expect(await names()).toEqual(["Jordan Lee", "Sam Agent"]);
    // A learner renaming themselves leaves the list's version (and every instance's copy) alone.
    const version = async () => (await db.execute(sql`select version from staff_list_version`)) as unknown;
    const before = JSON.stringify(await version());
    await db.execute(sql`update accounts set name = 'Ana Souza' where id = ${learner.id}`);
    expect(JSON.stringify(await version())).toBe(before);
    expect(await names()).toEqual(["Jordan Lee", "Sam Agent"]);
  });

  test("a requester's new message puts an answered ticket back among the waiting, from that message on", async () => {
    const ticket = await fileTicket(learner, { subject: "Follow-up" });
    await addAgentReply({ ticketId: ticket.ticketId, agentId: agent.id, body: "Try verifying your address." });
    expect((await findTicketForAgent({ ticketId: ticket.ticketId, agentId: agent.id }))!.awaitingSince).toBeNull();
    await replyAsRequester({ access: { kind: "account", viewer: learner, ticketId: ticket.ticketId }, body: "It still isn't there." });
    expect((await findTicketForAgent({ ticketId: ticket.ticketId, agentId: agent.id }))!.awaitingSince).not.toBeNull();
    // An internal note doesn't answer the requester.
    await addAgentReply({ ticketId: ticket.ticketId, agentId: agent.id, body: "Checking with the issuer.", visibility: "internal" });
    expect((await findTicketForAgent({ ticketId: ticket.ticketId, agentId: agent.id }))!.awaitingSince).not.toBeNull();
  });

  test("filters by category, status and assignee; newest activity is the other order", async () => {
    const a = await fileTicket(learner, { subject: "Revoked one", category: "revoked_badge" });
    const b = await fileTicket(learner, { subject: "Missing one", category: "missing_badge" });
    await backdate(a.ticketId, 100);
    await backdate(b.ticketId, 50);
    await db.update(tickets).set({ assigneeId: otherAgent.id }).where(eq(tickets.id, b.ticketId));
    expect(subjects(await queue(agent.id, "view=open&category=revoked_badge"))).toEqual(["Revoked one"]);
    expect(subjects(await queue(agent.id, `view=open&assignee=${otherAgent.id}`))).toEqual(["Missing one"]);
    expect(subjects(await queue(agent.id, "view=open&assignee=unassigned"))).toEqual(["Revoked one"]);
    expect(subjects(await queue(agent.id, "view=open&status=pending"))).toEqual([]);
    expect(subjects(await queue(agent.id, "view=open&sort=activity"))).toEqual(["Missing one", "Revoked one"]);
  });

  test("search finds a ticket by reference (any case, with or without BD-), requester address in any case, or words of the subject", async () => {
    const target = await fileTicket(learner, { subject: "Verification email never arrived" });
    await fileTicket(await createLearner({ name: "Other" }), { subject: "Pathway invitation lost" });
    await setStatus({ ticketId: target.ticketId, agentId: agent.id, status: "resolved" });
    const bare = target.reference.replace(/^BD-/, "").toLowerCase();
    expect(subjects(await queue(agent.id, `q=${target.reference.toLowerCase()}`))).toEqual(["Verification email never arrived"]);
    expect(subjects(await queue(agent.id, `q=${bare}`))).toEqual(["Verification email never arrived"]);
    expect(subjects(await queue(agent.id, `q=${encodeURIComponent(learner.email.toUpperCase())}`))).toEqual(["Verification email never arrived"]);
    expect(subjects(await queue(agent.id, "q=verif%20email"))).toEqual(["Verification email never arrived"]);
    expect(subjects(await queue(agent.id, "q=nothing%20like%20this"))).toEqual([]);
    // Punctuation is not query syntax.
    expect(subjects(await queue(agent.id, "q=%27%26%7C!(:*"))).toEqual([]);
  });

  test("pages follow each other without repeating or skipping a ticket", async () => {
    const filed: string[] = [];
    for (let i = 0; i < 7; i++) {
      const t = await fileTicket(learner, { subject: `Ticket ${i}` });
      await backdate(t.ticketId, 100 - i * 10);
      filed.push(`Ticket ${i}`);
    }
    // Two tickets waiting since the same moment: the id breaks the tie, no row lost between pages.
    const tied = await db.select({ id: tickets.id }).from(tickets).limit(2);
    await db.update(tickets).set({ awaitingSince: new Date(Date.now() - 500 * 60_000) }).where(sql`${tickets.id} in (${tied[0].id}, ${tied[1].id})`);
    const seen: string[] = [];
    let search = "view=open";
    for (let pages = 0; pages < 10; pages++) {
      const page = await listQueue({ agentId: agent.id, query: parseQueueQuery(new URLSearchParams(search)), pageSize: 3 });
      seen.push(...subjects(page));
      if (!page.next) break;
      search = `view=open&after=${page.next.key ?? "none"}_${page.next.id}`;
    }
    expect(seen.toSorted()).toEqual(filed.toSorted());
  });
});

describe("the pages as sent", () => {
  // entry.server renders a page whole with React's string renderer once the loader data's
  // hand-over is read, and the desk's links are plain anchors (PathLink, PathNavLink): the HTML
  // must be what the streaming renderer and Remix's <Link>/<NavLink> made.
  test("the ticket page is one complete document: doctype, its length, the loader data handed over and closed, the links as <Link> and <NavLink> render them", async () => {
    const cookie = await createSessionCookie(agent.id);
    const t = await fileTicket(learner, { subject: "Where is my \"badge\" </script>?" });
    const response = await agentTicketPage(getPage(`/agent/tickets/${t.ticketId}`, cookie));
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(response.headers.get("Content-Length")).toBe(String(bytes.length));
    const html = bytes.toString("utf8");
    expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    // The hand-over: the loader data in one chunk (the subject escaped for a script), then the end.
    const chunks = [...html.matchAll(/window\.__remixContext\.streamController\.enqueue\((".*?")\);<\/script>/g)].map((m) => JSON.parse(m[1]) as string);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toContain(JSON.stringify("Where is my \"badge\" </script>?"));
    expect(html).not.toContain("</script>?");
    expect(html.indexOf("streamController.close()")).toBeGreaterThan(html.indexOf("streamController.enqueue("));
    // Links: <Link>'s markup, <NavLink>'s for the header (the current section marked, an "end" link not).
    expect(html).toContain('<a data-discover="true" href="/agent">← Queue</a>');
    expect(html).toContain('<a data-discover="true" aria-current="page" class="active" href="/agent">Agent desk</a>');
    expect(html).toContain('<a data-discover="true" class="" href="/tickets">My tickets</a>');
    expect(html).toContain('<a class="brand" data-discover="true" href="/">');
  });

  test("the queue's tabs and rows link as <Link> renders them", async () => {
    const cookie = await createSessionCookie(agent.id);
    const t = await fileTicket(learner, { subject: "Queue link check" });
    const response = await queuePage(getPage("/agent?view=unassigned", cookie));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`<a class="queue__subject" data-discover="true" href="/agent/tickets/${t.ticketId}">Queue link check</a>`);
    expect(html).toMatch(/<a aria-current="page" class="queue-tabs__current" data-discover="true" href="\/agent\?view=unassigned">Unassigned<!-- --> <span class="queue-tabs__count">[^<]+<\/span><\/a>/);
    expect(html).toContain('<a data-discover="true" href="/agent">All open<!-- --> <span class="queue-tabs__count">');
    // The header: the desk is the current section under /agent too.
    expect(html).toContain('<a data-discover="true" aria-current="page" class="active" href="/agent">Agent desk</a>');
  });
});

describe("take next", () => {
  test("agents pressing it at the same moment get different tickets, the longest-waiting first", async () => {
    const filed = [];
    for (let i = 0; i < 5; i++) {
      const t = await fileTicket(learner, { subject: `Queue ${i}` });
      await backdate(t.ticketId, 50 - i);
      filed.push(t.ticketId);
    }
    const agents = [agent, otherAgent, await createLearner({ name: "Third", roles: ["agent"] }), await createLearner({ name: "Fourth", roles: ["admin"] })];
    const taken = await Promise.all(agents.map((a) => takeNextTicket({ agentId: a.id, agentName: a.name })));
    expect(new Set(taken).size).toBe(4);
    expect(taken.toSorted()).toEqual(filed.slice(0, 4).toSorted());
    const owners = await db.select({ id: tickets.id, assigneeId: tickets.assigneeId }).from(tickets);
    for (const [i, ticketId] of taken.entries()) expect(owners.find((o) => o.id === ticketId)!.assigneeId).toBe(agents[i].id);
    expect(await takeNextTicket({ agentId: agent.id, agentName: agent.name })).toBe(filed[4]);
    expect(await takeNextTicket({ agentId: agent.id, agentName: agent.name })).toBeNull();
  });

  test("the button opens the ticket it assigned, or says there is none", async () => {
    const cookie = await createSessionCookie(agent.id);
    const t = await fileTicket(learner);
    const response = (await queueAction(args(postForm("/agent", cookie, {})))) as Response;
    expect(response.headers.get("Location")).toBe(`/agent/tickets/${t.ticketId}`);
    const empty = (await queueAction(args(postForm("/agent", cookie, {})))) as Response;
    expect(empty.headers.get("Location")).toBe("/agent");
  });
});

describe("the composer", () => {
  async function open(ticketId: string, who = agent) {
    const view = await findTicketForAgent({ ticketId, agentId: who.id });
    return view!;
  }

  test("a public reply is mailed and shown to the learner; an internal note is neither", async () => {
    const t = await fileTicket(learner);
    const view = await open(t.ticketId);
    const note = await sendFromComposer({ ticketId: t.ticketId, agentId: agent.id, body: "Learner has two accounts?", visibility: "internal", status: null, idempotencyKey: randomUUID(), state: view.state });
    expect(note.ok).toBe(true);
    const mailsBefore = await mailCountTo(learner.email);
    const again = await open(t.ticketId);
    const reply = await sendFromComposer({ ticketId: t.ticketId, agentId: agent.id, body: "Please verify your school address.", visibility: "public", status: "pending", idempotencyKey: randomUUID(), state: again.state });
    expect(reply).toMatchObject({ ok: true, status: "pending" });
    expect(await mailCountTo(learner.email)).toBe(mailsBefore + 1);
    expect((await latestMailTo(learner.email))!.textBody).toContain("Please verify your school address.");
    const learnerView = await findTicketForViewer({ ticketId: t.ticketId, viewer: learner });
    const bodies = learnerView!.timeline.flatMap((e) => (e.kind === "message" ? [e.body] : []));
    expect(bodies).toContain("Please verify your school address.");
    expect(bodies).not.toContain("Learner has two accounts?");
    const agentView = await open(t.ticketId);
    expect(agentView.thread.filter((e) => e.kind === "message").map((e) => (e.kind === "message" ? e.visibility : null))).toEqual(["public", "internal", "public"]);
  });

  test("through the page: send and resolve, an empty draft answered beside the field, a double click stored once", async () => {
    const cookie = await createSessionCookie(agent.id);
    const t = await fileTicket(learner);
    const view = await open(t.ticketId);
    const fields = { idempotencyKey: view.composerKey, state: view.state, visibility: "public", body: "   ", intent: "send-resolve" };
    const empty = await agentTicketPage(postForm(`/agent/tickets/${t.ticketId}`, cookie, fields));
    expect(empty.status).toBe(400);
    expect(textOfId(await empty.text(), "composer-body-error")).toBe("Write the reply first.");
    const sent = { ...fields, body: "Fixed: the badge is in your backpack now." };
    for (let i = 0; i < 2; i++) {
      const response = (await ticketAction(args(postForm(`/agent/tickets/${t.ticketId}`, cookie, sent), { ticketId: t.ticketId }))) as Response;
      expect(response.status).toBe(302);
    }
    const [row] = await db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, t.ticketId));
    expect(row.status).toBe("resolved");
    const replies = await db.select().from(ticketMessages).where(eq(ticketMessages.body, "Fixed: the badge is in your backpack now."));
    expect(replies).toHaveLength(1);
  });

  test("assign to me and to another agent; a learner can't be made the assignee", async () => {
    const cookie = await createSessionCookie(agent.id);
    const t = await fileTicket(learner);
    const post = (fields: Record<string, string>) => agentTicketPage(postForm(`/agent/tickets/${t.ticketId}`, cookie, { intent: "assign", ...fields }));
    await post({ assigneeId: "me" });
    expect((await open(t.ticketId)).assigneeName).toBe("Sam Agent");
    await post({ assigneeId: otherAgent.id });
    expect((await open(t.ticketId)).assigneeName).toBe("Jordan Agent");
    const refused = await post({ assigneeId: learner.id });
    expect(refused.status).toBe(400);
    expect(pageText(await refused.text())).toContain("That person is not an agent. Choose someone from the list.");
    expect((await open(t.ticketId)).assigneeName).toBe("Jordan Agent");
    expect((await open(t.ticketId)).thread.filter((e) => e.kind === "note").map((e) => (e.kind === "note" ? e.body : ""))).toEqual([
      "Sam Agent took the ticket.",
      "Sam Agent assigned the ticket to Jordan Agent.",
    ]);
  });
});

describe("the collision guard", () => {
  test("a send is refused when another agent replied since the ticket was opened; the draft is kept and the news shown", async () => {
    const t = await fileTicket(learner);
    const samOpened = await findTicketForAgent({ ticketId: t.ticketId, agentId: agent.id });
    const jordanOpened = await findTicketForAgent({ ticketId: t.ticketId, agentId: otherAgent.id });
    const first = await sendFromComposer({ ticketId: t.ticketId, agentId: otherAgent.id, body: "Jordan's answer.", visibility: "public", status: null, idempotencyKey: jordanOpened!.composerKey, state: jordanOpened!.state });
    expect(first.ok).toBe(true);

    const cookie = await createSessionCookie(agent.id);
    const fields = { idempotencyKey: samOpened!.composerKey, state: samOpened!.state, visibility: "public", body: "Sam's answer, typed meanwhile.", intent: "send" };
    const refused = await agentTicketPage(postForm(`/agent/tickets/${t.ticketId}`, cookie, fields));
    expect(refused.status).toBe(409);
    const refusedPage = await refused.text();
    expect(fieldValue(refusedPage, "body")).toBe("Sam's answer, typed meanwhile.");
    const collision = refusedPage.indexOf('class="collision');
    const news = pageText(refusedPage.slice(collision, refusedPage.indexOf("<form", collision)));
    expect(news).toContain("This ticket changed since you opened it");
    expect(news).toMatch(/Jordan Agent Public reply .* Jordan's answer\./);
    expect(news).toMatch(/Jordan Agent .*Open/);
    expect(await db.select().from(ticketMessages).where(eq(ticketMessages.body, "Sam's answer, typed meanwhile."))).toHaveLength(0);

    // Having seen the news, sending again goes through.
    const fresh = await findTicketForAgent({ ticketId: t.ticketId, agentId: agent.id });
    const retry = await ticketAction(args(postForm(`/agent/tickets/${t.ticketId}`, cookie, { ...fields, state: fresh!.state }), { ticketId: t.ticketId }));
    expect((retry as Response).status).toBe(302);
  });

  test("a status change, a reassignment or the requester writing also count as changes", async () => {
    const t = await fileTicket(learner);
    const send = (state: string) => sendFromComposer({ ticketId: t.ticketId, agentId: agent.id, body: "Hello", visibility: "internal", status: null, idempotencyKey: randomUUID(), state });
    let opened = (await findTicketForAgent({ ticketId: t.ticketId, agentId: agent.id }))!.state;
    await setStatus({ ticketId: t.ticketId, agentId: otherAgent.id, status: "pending" });
    expect(await send(opened)).toMatchObject({ ok: false, reason: "changed" });
    opened = (await findTicketForAgent({ ticketId: t.ticketId, agentId: agent.id }))!.state;
    await takeNextTicket({ agentId: otherAgent.id, agentName: otherAgent.name }); // nothing unassigned and open: no change
    expect((await send(opened)).ok).toBe(true);
    opened = (await findTicketForAgent({ ticketId: t.ticketId, agentId: agent.id }))!.state;
    await replyAsRequester({ access: { kind: "account", viewer: learner, ticketId: t.ticketId }, body: "Any news?" });
    expect(await send(opened)).toMatchObject({ ok: false, reason: "changed" });
  });

  // The send's check runs in a statement sent together with the one that locks the ticket
  // (transactionInBatches): it must still see what the lock's holder committed while it waited.
  test.runIf(process.env.DATABASE_URL)("a note added while the send waits for the ticket's lock refuses the send", async () => {
    const t = await fileTicket(learner);
    const opened = (await findTicketForAgent({ ticketId: t.ticketId, agentId: agent.id }))!.state;
    const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      const result = await other.begin(async (holder) => {
        await holder`select id from tickets where id = ${t.ticketId} for update`;
        const send = sendFromComposer({ ticketId: t.ticketId, agentId: agent.id, body: "Hello", visibility: "public", status: null, idempotencyKey: randomUUID(), state: opened });
        // The send is waiting for the lock (its statements are on the server) when the note goes in.
        await expect.poll(async () => (await holder`select count(*)::int as n from pg_locks where not granted and locktype = 'transactionid'`)[0].n, { timeout: 4000 }).toBe(1);
        await holder`insert into ticket_messages (ticket_id, author_kind, author_name, body, visibility) values (${t.ticketId}, 'agent', 'Jordan Agent', 'A note', 'internal')`;
        // Wrapped: a promise returned from the callback would be waited for before the commit.
        return { send };
      });
      expect(await result.send).toMatchObject({ ok: false, reason: "changed" });
    } finally {
      await other.end({ timeout: 5 });
    }
  });

  test("the page's poll tells who else has the ticket open and that it changed", async () => {
    const t = await fileTicket(learner);
    const samCookie = await createSessionCookie(agent.id);
    const jordanCookie = await createSessionCookie(otherAgent.id);
    const opened = await findTicketForAgent({ ticketId: t.ticketId, agentId: agent.id });
    await ticketLoader(args(getPage(`/agent/tickets/${t.ticketId}`, jordanCookie), { ticketId: t.ticketId }));
    const activity = remixPages([{ id: "routes/agent.tickets.$ticketId.activity", path: "agent/tickets/:ticketId/activity", module: activityRoute }]);
    const poll = async () => {
      const response = await activity(getPage(`/agent/tickets/${t.ticketId}/activity?state=${opened!.state}`, samCookie));
      return response.json();
    };
    expect(await poll()).toMatchObject({ viewers: ["Jordan Agent"], changed: false });
    await addAgentReply({ ticketId: t.ticketId, agentId: otherAgent.id, body: "On it." });
    expect(await poll()).toMatchObject({ changed: true, newEntries: expect.arrayContaining([expect.objectContaining({ body: "On it." })]) });
  });
});

describe("macros", () => {
  beforeEach(async () => {
    await importTestArticles();
  });

  test("placeholders are checked when saved and filled in for the ticket when inserted, with the macro's status proposed", async () => {
    const bad = await saveMacro({ actorId: agent.id, input: { title: "Bad", body: "Hi {{requester.nickname}}", setsStatus: null } });
    expect(bad).toMatchObject({ ok: false, errors: { body: expect.stringContaining("{{requester.nickname}} is not a placeholder") } });
    const missing = await saveMacro({ actorId: agent.id, input: { title: "Bad", body: "See {{article:no-such-article}}", setsStatus: null } });
    expect(missing).toMatchObject({ ok: false, errors: { body: expect.stringContaining("no-such-article") } });
    const saved = await saveMacro({
      actorId: agent.id,
      input: { title: "Verify", body: "Hi {{requester.name}}, about {{ticket.reference}} ({{ticket.link}}): {{article:verification-email-not-received}}", setsStatus: "resolved" },
    });
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    expect(await saveMacro({ actorId: agent.id, input: { title: "VERIFY", body: "x", setsStatus: null } })).toMatchObject({ ok: false, errors: { title: expect.any(String) } });

    const t = await fileTicket(learner);
    const view = await findTicketForAgent({ ticketId: t.ticketId, agentId: agent.id });
    const cookie = await createSessionCookie(agent.id);
    const inserted = (await ticketAction(
      args(
        postForm(`/agent/tickets/${t.ticketId}`, cookie, { intent: "insert-macro", macroId: saved.macroId, body: "Draft so far.", visibility: "public", idempotencyKey: view!.composerKey, state: view!.state }),
        { ticketId: t.ticketId },
      ),
    )) as { values: Record<string, string>; proposedStatus: string };
    expect(inserted.values.body).toBe(
      `Draft so far.\n\nHi Ana Learner, about ${t.reference} (http://badgedesk.test/tickets/${t.ticketId}): I didn't get the verification email: http://badgedesk.test/faq/account-and-email/verification-email-not-received`,
    );
    expect(inserted.proposedStatus).toBe("resolved");
    expect(inserted.values.state).toBe(view!.state); // inserting doesn't count as having seen later changes
  });

  test("the article search finds articles and inserts the title and link into the draft", async () => {
    const t = await fileTicket(learner);
    const view = await findTicketForAgent({ ticketId: t.ticketId, agentId: agent.id });
    const cookie = await createSessionCookie(agent.id);
    const base = { body: "Hello.", visibility: "internal", idempotencyKey: view!.composerKey, state: view!.state };
    const found = (await ticketAction(args(postForm(`/agent/tickets/${t.ticketId}`, cookie, { ...base, intent: "search-articles", articleQuery: "verification email" }), { ticketId: t.ticketId }))) as {
      articles: { slug: string }[];
    };
    expect(found.articles.map((a) => a.slug)).toContain("verification-email-not-received");
    const inserted = (await ticketAction(
      args(postForm(`/agent/tickets/${t.ticketId}`, cookie, { ...base, intent: "insert-article:verification-email-not-received" }), { ticketId: t.ticketId }),
    )) as { values: Record<string, string> };
    expect(inserted.values.body).toBe("Hello.\n\nI didn't get the verification email: http://badgedesk.test/faq/account-and-email/verification-email-not-received");
    expect(inserted.values.visibility).toBe("internal");
  });

  test("agents manage macros at /agent/macros; a bad entry is answered beside the field with what was typed", async () => {
    const cookie = await createSessionCookie(agent.id);
    const page = remixPages([{ id: "routes/agent.macros._index", path: "agent/macros", module: macrosRoute }]);
    const bad = await page(postForm("/agent/macros", cookie, { title: "", body: "Hello {{nope}}", setsStatus: "" }));
    expect(bad.status).toBe(400);
    const badPage = await bad.text();
    expect(textOfId(badPage, "field-title-error")).toBe("Give the macro a title.");
    expect(fieldValue(badPage, "body")).toBe("Hello {{nope}}");
    const ok = await page(postForm("/agent/macros", cookie, { title: "Greeting", body: "Hello {{requester.name}}", setsStatus: "pending" }));
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Location")).toBe("/agent/macros");
    const list = pageText(await (await page(getPage("/agent/macros", cookie))).text());
    expect(list).toContain("Greeting Hello {{requester.name}} Sets the status to Pending.");
  });

  test("deleting a macro asks first, on a page of its own that names it; only the confirmed form deletes", async () => {
    const saved = await saveMacro({ actorId: agent.id, input: { title: "Greeting", body: "Hello {{requester.name}}", setsStatus: null } });
    if (!saved.ok) throw new Error("macro not saved");
    const cookie = await createSessionCookie(agent.id);
    const here = `/agent/macros/${saved.macroId}`;
    const page = remixPages([
      { id: "routes/agent.macros.$macroId", path: "agent/macros/:macroId", module: macroRoute },
      { id: "routes/agent.macros.$macroId_.delete", path: "agent/macros/:macroId/delete", module: deleteMacroRoute },
    ]);

    const edit = await page(getPage(here, cookie));
    expect(await edit.text()).toContain(`href="${here}/delete"`);
    // A bare "delete" (an old form, a stray post) only leads to the question.
    const unconfirmed = await page(postForm(here, cookie, { intent: "delete" }));
    expect(unconfirmed.status).toBe(302);
    expect(unconfirmed.headers.get("Location")).toBe(`${here}/delete`);
    expect((await listMacros()).map((m) => m.title)).toEqual(["Greeting"]);

    const question = await page(getPage(`${here}/delete`, cookie));
    expect(question.status).toBe(200);
    const text = pageText(await question.text());
    expect(text).toContain("Delete “Greeting”?");
    expect(text).toContain("Hello {{requester.name}}");
    expect(text).toContain("Keep it");

    const confirmed = await page(postForm(here, cookie, { intent: "delete", confirm: "yes" }));
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("Location")).toBe("/agent/macros");
    expect(await listMacros()).toEqual([]);
    // The question for a macro that is gone is a 404, as is the page for a learner.
    expect((await page(getPage(`${here}/delete`, cookie))).status).toBe(404);
    expect((await page(getPage(`${here}/delete`, await createSessionCookie(learner.id)))).status).toBe(404);
  });
});

describe("who may use the agent desk", () => {
  test("learners and editors get 404 on every agent page, anonymous visitors the login page", async () => {
    const t = await fileTicket(learner);
    const editor = await createLearner({ name: "Editor", roles: ["editor"] });
    const macro = await saveMacro({ actorId: agent.id, input: { title: "Hello", body: "Hello {{requester.name}}", setsStatus: null } });
    if (!macro.ok) throw new Error("macro not saved");
    const pages: [string, (a: never) => unknown, Record<string, string>][] = [
      [`/agent/macros/${macro.macroId}`, macroLoader, { macroId: macro.macroId }],
      ["/agent", queueLoader, {}],
      [`/agent/tickets/${t.ticketId}`, ticketLoader, { ticketId: t.ticketId }],
      [`/agent/tickets/${t.ticketId}/activity?state=x`, activityLoader, { ticketId: t.ticketId }],
      ["/agent/macros", macrosLoader, {}],
    ];
    for (const who of [learner, editor]) {
      const cookie = await createSessionCookie(who.id);
      for (const [url, loader, params] of pages) {
        const thrown = await Promise.resolve(loader(args(getPage(url, cookie), params))).catch((e: unknown) => e);
        expect((thrown as Response).status, url).toBe(404);
      }
    }
    for (const [url, loader, params] of pages) {
      const thrown = await Promise.resolve(loader(args(new Request(`http://badgedesk.test${url}`), params))).catch((e: unknown) => e);
      expect((thrown as Response).status, url).toBe(302);
      expect((thrown as Response).headers.get("Location"), url).toMatch(/^\/login\?redirectTo=/);
    }
  });

  test("a forged post from a learner is refused with 403 and changes nothing", async () => {
    const t = await fileTicket(learner);
    const macro = await saveMacro({ actorId: agent.id, input: { title: "Hello", body: "Hello {{requester.name}}", setsStatus: null } });
    if (!macro.ok) throw new Error("macro not saved");
    const view = await findTicketForAgent({ ticketId: t.ticketId, agentId: agent.id });
    const cookie = await createSessionCookie(learner.id);
    const posts: [string, (a: never) => unknown, Record<string, string>, Record<string, string>][] = [
      ["/agent", queueAction, {}, {}],
      [`/agent/tickets/${t.ticketId}`, ticketAction, { ticketId: t.ticketId }, { intent: "send-resolve", body: "Forged", visibility: "public", idempotencyKey: randomUUID(), state: view!.state }],
      [`/agent/tickets/${t.ticketId}`, ticketAction, { ticketId: t.ticketId }, { intent: "assign", assigneeId: "me" }],
      ["/agent/macros", macrosAction, {}, { title: "Forged", body: "x", setsStatus: "" }],
      [`/agent/macros/${macro.macroId}`, macroAction, { macroId: macro.macroId }, { intent: "delete" }],
    ];
    for (const [url, action, params, fields] of posts) {
      const thrown = await Promise.resolve(action(args(postForm(url, cookie, fields), params))).catch((e: unknown) => e);
      expect((thrown as Response).status, url).toBe(403);
    }
    const after = await findTicketForAgent({ ticketId: t.ticketId, agentId: agent.id });
    expect(after).toMatchObject({ state: view!.state, status: "new", assigneeId: null });
    expect((await listMacros()).map((m) => m.title)).toEqual(["Hello"]);
  });
});

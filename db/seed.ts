// Demo data: issuers, badges and pathways, and learners that show each case of the FAQ.
// Idempotent: every row has a fixed id derived from its name, and inserts skip what exists.
import { createHash } from "node:crypto";
import { hash } from "@node-rs/argon2";
import { db } from "./client.server";
import { accountEmails, accountRoles, accounts, awards, badgeClasses, issuers, pathwayInvitations, pathways, revocations, ticketEvents, ticketMacros, ticketMessages, tickets } from "./schema";

export const DEMO_PASSWORD = "badgedesk-demo";

/** A stable UUID for a demo row, so re-running the seed finds the same rows. */
export function demoId(name: string): string {
  const h = createHash("sha1").update(`badgedesk-demo:${name}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const day = 24 * 60 * 60 * 1000;
const daysAgo = (n: number) => new Date(Date.now() - n * day);

interface DemoPerson {
  key: string;
  name: string;
  role: "learner" | "agent" | "editor" | "admin";
  emails: { email: string; verified: boolean; primary?: boolean }[];
  story: string;
}

export const DEMO_PEOPLE: DemoPerson[] = [
  {
    key: "ana",
    name: "Ana Souza",
    role: "learner",
    emails: [
      { email: "ana.souza@example.org", verified: true, primary: true },
      { email: "ana.souza@lakeside.example.edu", verified: false },
    ],
    story: "two badges wait at her unverified school address",
  },
  {
    key: "ben",
    name: "Ben Okafor",
    role: "learner",
    emails: [{ email: "ben.okafor@gmail.example", verified: true, primary: true }],
    story: "a badge went to a misspelt address on no account",
  },
  {
    key: "chloe",
    name: "Chloé Martin",
    role: "learner",
    emails: [
      { email: "chloe.martin@oldcorp.example", verified: true, primary: true },
      { email: "chloe@newmail.example", verified: false },
    ],
    story: "is changing her email: old address verified, new one not yet",
  },
  {
    key: "dev",
    name: "Dev Patel",
    role: "learner",
    emails: [{ email: "dev.patel@example.net", verified: true, primary: true }],
    story: "one badge revoked by the issuer, one expired",
  },
  {
    key: "emma",
    name: "Emma Lindqvist",
    role: "learner",
    emails: [{ email: "emma.lindqvist@example.com", verified: true, primary: true }],
    story: "a pathway invitation she never accepted; a badge she removed; a badge sent to emma.lindquist@example.com, a misspelling",
  },
  { key: "sam", name: "Sam Rivera", role: "agent", emails: [{ email: "sam.rivera@badgedesk.example", verified: true, primary: true }], story: "Customer Care agent" },
  { key: "jordan", name: "Jordan Lee", role: "agent", emails: [{ email: "jordan.lee@badgedesk.example", verified: true, primary: true }], story: "a second Customer Care agent, to try two agents on one ticket" },
  { key: "priya", name: "Priya Natarajan", role: "editor", emails: [{ email: "priya.natarajan@badgedesk.example", verified: true, primary: true }], story: "FAQ editor" },
  { key: "alex", name: "Alex Morgan", role: "admin", emails: [{ email: "alex.morgan@badgedesk.example", verified: true, primary: true }], story: "administrator" },
];

const ISSUERS = [
  { key: "lakeside", name: "Lakeside Technical Institute", url: "https://lakeside.example.edu", contactEmail: "badges@lakeside.example.edu" },
  { key: "harbor", name: "Harbor City Library Makerspace", url: "https://makerspace.harborcity.example", contactEmail: "maker@harborcity.example" },
  { key: "greenway", name: "Greenway Health Academy", url: "https://academy.greenway.example", contactEmail: "credentials@greenway.example" },
];

const BADGES = [
  { key: "python", issuer: "lakeside", name: "Python Foundations", description: "Writes, tests and debugs small Python programs." },
  { key: "data", issuer: "lakeside", name: "Data Literacy Level 1", description: "Reads, cleans and charts tabular data responsibly." },
  { key: "sheets", issuer: "lakeside", name: "Spreadsheet Skills", description: "Builds spreadsheets with formulas, lookups and pivot tables." },
  { key: "printing", issuer: "harbor", name: "3D Printing Safety", description: "Operates the makerspace 3D printers safely." },
  { key: "laser", issuer: "harbor", name: "Laser Cutter Operator", description: "Prepares files for and runs the laser cutter." },
  { key: "firstaid", issuer: "greenway", name: "First Aid Responder", description: "Gives basic first aid; renewed every two years." },
  { key: "volunteer", issuer: "greenway", name: "Community Health Volunteer", description: "Completed 40 hours of supervised volunteering." },
];

const PATHWAYS = [
  { key: "analyst", issuer: "lakeside", name: "Junior Data Analyst Pathway", description: "Python, spreadsheets and data literacy in one path." },
  { key: "maker", issuer: "harbor", name: "Maker Pathway", description: "From safety basics to running your own projects." },
];

interface DemoAward {
  key: string;
  badge: string;
  to: string;
  issuedDaysAgo: number;
  expiresInDays?: number;
  removedByLearner?: boolean;
  revoked?: { reason: string; by: string; daysAgo: number };
}

const AWARDS: DemoAward[] = [
  { key: "ana-python", badge: "python", to: "ana.souza@example.org", issuedDaysAgo: 120 },
  { key: "ana-data", badge: "data", to: "ana.souza@lakeside.example.edu", issuedDaysAgo: 12 },
  { key: "ana-sheets", badge: "sheets", to: "Ana.Souza@Lakeside.example.edu", issuedDaysAgo: 9 },
  { key: "ben-printing", badge: "printing", to: "ben.okafor@gmial.example", issuedDaysAgo: 6 },
  { key: "ben-laser", badge: "laser", to: "ben.okafor@gmail.example", issuedDaysAgo: 40 },
  { key: "chloe-firstaid", badge: "firstaid", to: "chloe.martin@oldcorp.example", issuedDaysAgo: 300, expiresInDays: 430 },
  { key: "chloe-volunteer", badge: "volunteer", to: "chloe@newmail.example", issuedDaysAgo: 3 },
  { key: "dev-python", badge: "python", to: "dev.patel@example.net", issuedDaysAgo: 200, revoked: { reason: "Awarded by mistake: the final assessment was not submitted.", by: "Lakeside Technical Institute (Registrar)", daysAgo: 5 } },
  { key: "dev-firstaid", badge: "firstaid", to: "dev.patel@example.net", issuedDaysAgo: 800, expiresInDays: -70 },
  { key: "dev-data", badge: "data", to: "dev.patel@example.net", issuedDaysAgo: 60 },
  { key: "emma-printing", badge: "printing", to: "emma.lindqvist@example.com", issuedDaysAgo: 90, removedByLearner: true },
  { key: "emma-laser", badge: "laser", to: "emma.lindqvist@example.com", issuedDaysAgo: 30 },
  // The issuer typed "lindquist": an address nobody holds, found from My badges' misspelt-address search.
  { key: "emma-sheets", badge: "sheets", to: "emma.lindquist@example.com", issuedDaysAgo: 15 },
];

const INVITATIONS = [
  { key: "emma-maker", pathway: "maker", email: "emma.lindqvist@example.com", status: "pending" as const, sentDaysAgo: 21 },
  { key: "ana-analyst", pathway: "analyst", email: "ana.souza@example.org", status: "accepted" as const, sentDaysAgo: 100 },
];

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

// One ticket per learner about their own case, so the agent desk's queue is not empty on first start.
const TICKETS = [
  {
    key: "ana",
    reference: "BD-DEM0-ANA1",
    category: "missing_badge" as const,
    subject: "My Data Literacy and Spreadsheet badges are missing",
    issuerOrBadge: "Lakeside Technical Institute",
    badgeEmail: "ana.souza@lakeside.example.edu",
    body: "Lakeside says they awarded me two badges last week, but my backpack only shows Python Foundations. They used my school address.",
    waitedMinutes: 180,
  },
  {
    key: "ben",
    reference: "BD-DEM0-BEN2",
    category: "missing_badge" as const,
    subject: "3D Printing Safety badge never arrived",
    issuerOrBadge: "Harbor City Library Makerspace",
    badgeEmail: null,
    body: "I finished the 3D printing safety course at the makerspace six days ago. The Laser Cutter badge arrived fine, this one never did.",
    waitedMinutes: 1440,
  },
  {
    key: "chloe",
    reference: "BD-DEM0-CHL3",
    category: "email_account" as const,
    subject: "Changing my email to chloe@newmail.example",
    issuerOrBadge: null,
    badgeEmail: "chloe@newmail.example",
    body: "I'm leaving OldCorp. I added my new address but my newest badge went there and doesn't show up. How do I move everything over?",
    waitedMinutes: 300,
  },
  {
    key: "dev",
    reference: "BD-DEM0-DEV4",
    category: "revoked_badge" as const,
    subject: "My Python Foundations badge was revoked",
    issuerOrBadge: "Lakeside Technical Institute",
    badgeEmail: null,
    body: "The badge says it was revoked because I didn't submit the final assessment, but I did: I have the confirmation email from the course.",
    waitedMinutes: 2880,
  },
  {
    key: "emma",
    reference: "BD-DEM0-EMM5",
    category: "pathways" as const,
    subject: "Can't find my Maker Pathway invitation",
    issuerOrBadge: "Harbor City Library Makerspace",
    badgeEmail: null,
    body: "The makerspace says they invited me to the Maker Pathway three weeks ago. I can't find the email anywhere.",
    waitedMinutes: 30,
  },
];

// Saved replies, one for each case of the demo learners (the agent desk's composer inserts them).
const MACROS = [
  {
    key: "unverified",
    title: "Badges at an unverified address",
    setsStatus: "resolved" as const,
    body: "Hi {{requester.name}},\n\nYour badges were awarded to an address on your account that isn't verified yet, so they were waiting out of sight. We've sent a verification link to that address: once you open it, the badges are in your backpack.\n\nMore about this: {{article:badge-not-showing-in-backpack}}\n\nYour ticket: {{ticket.link}} ({{ticket.reference}})",
  },
  {
    key: "misspelt",
    title: "Badge sent to a misspelt address",
    setsStatus: "resolved" as const,
    body: "Hi {{requester.name}},\n\nThe issuer typed your address with a slip, so the badge went to an address nobody holds. We've checked it is yours and added it to your account, verified: the badge is in your backpack now.\n\nFor issuers: {{article:awarded-badge-to-wrong-email}}\n\nReference: {{ticket.reference}}",
  },
  {
    key: "email-change",
    title: "Changing your email address",
    setsStatus: "pending" as const,
    body: "Hi {{requester.name}},\n\nYour new address is on your account but not verified yet. Open the verification link we sent to it, then make it your primary address; your badges stay with you.\n\nStep by step: {{article:email-address-changed}}\n\nReply here once it's done, or if anything looks wrong.",
  },
  {
    key: "revoked",
    title: "Revoked badge: we asked the issuer",
    setsStatus: "pending" as const,
    body: "Hi {{requester.name}},\n\nOnly the issuer can undo a revocation. We've sent them your request with the reason they gave; as soon as they confirm, we reinstate the badge and let you know here.\n\nHow this works: {{article:undo-a-revocation}}\n\nReference: {{ticket.reference}}",
  },
  {
    key: "pathway",
    title: "Finding your pathway invitation",
    setsStatus: "resolved" as const,
    body: "Hi {{requester.name}},\n\nYour invitation is waiting in the Pathways app: Apps → Pathways → My Pathways, once you allow the app. We've also sent it again to your address.\n\nMore: {{article:lost-pathway-invitation}}",
  },
];

export async function seedDemoData() {
  const passwordHash = await hash(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    for (const person of DEMO_PEOPLE) {
      const accountId = demoId(`account:${person.key}`);
      await tx.insert(accounts).values({ id: accountId, name: person.name, passwordHash, createdAt: daysAgo(400) }).onConflictDoNothing();
      for (const e of person.emails) {
        await tx
          .insert(accountEmails)
          .values({ id: demoId(`email:${e.email}`), accountId, email: e.email, createdAt: e.verified ? daysAgo(395) : daysAgo(12), verifiedAt: e.verified ? daysAgo(390) : null, isPrimary: Boolean(e.primary) })
          .onConflictDoNothing();
      }
      if (person.role !== "learner") await tx.insert(accountRoles).values({ accountId, role: person.role }).onConflictDoNothing();
    }
    for (const i of ISSUERS) {
      await tx.insert(issuers).values({ id: demoId(`issuer:${i.key}`), name: i.name, url: i.url, contactEmail: i.contactEmail }).onConflictDoNothing();
    }
    for (const b of BADGES) {
      await tx
        .insert(badgeClasses)
        .values({ id: demoId(`badge:${b.key}`), issuerId: demoId(`issuer:${b.issuer}`), name: b.name, description: b.description })
        .onConflictDoNothing();
    }
    for (const p of PATHWAYS) {
      await tx
        .insert(pathways)
        .values({ id: demoId(`pathway:${p.key}`), issuerId: demoId(`issuer:${p.issuer}`), name: p.name, description: p.description })
        .onConflictDoNothing();
    }
    for (const a of AWARDS) {
      const awardId = demoId(`award:${a.key}`);
      await tx
        .insert(awards)
        .values({
          id: awardId,
          badgeClassId: demoId(`badge:${a.badge}`),
          recipientEmail: a.to,
          issuedOn: daysAgo(a.issuedDaysAgo),
          expiresAt: a.expiresInDays === undefined ? null : new Date(Date.now() + a.expiresInDays * day),
          removedByLearnerAt: a.removedByLearner ? daysAgo(10) : null,
        })
        .onConflictDoNothing();
      if (a.revoked) {
        await tx
          .insert(revocations)
          .values({ id: demoId(`revocation:${a.key}`), awardId, reason: a.revoked.reason, revokedBy: a.revoked.by, revokedAt: daysAgo(a.revoked.daysAgo) })
          .onConflictDoNothing();
      }
    }
    for (const inv of INVITATIONS) {
      await tx
        .insert(pathwayInvitations)
        .values({
          id: demoId(`invitation:${inv.key}`),
          pathwayId: demoId(`pathway:${inv.pathway}`),
          email: inv.email,
          status: inv.status,
          sentAt: daysAgo(inv.sentDaysAgo),
          respondedAt: inv.status === "accepted" ? daysAgo(inv.sentDaysAgo - 1) : null,
        })
        .onConflictDoNothing();
    }
    for (const t of TICKETS) {
      const person = DEMO_PEOPLE.find((p) => p.key === t.key)!;
      const ticketId = demoId(`ticket:${t.key}`);
      const at = minutesAgo(t.waitedMinutes);
      const email = person.emails.find((e) => e.primary)!.email;
      const [created] = await tx
        .insert(tickets)
        .values({
          id: ticketId,
          reference: t.reference,
          accountId: demoId(`account:${t.key}`),
          requesterName: person.name,
          requesterEmail: email,
          category: t.category,
          subject: t.subject,
          issuerOrBadge: t.issuerOrBadge,
          badgeEmail: t.badgeEmail,
          source: "web",
          fingerprint: `demo:${t.key}`,
          createdAt: at,
          lastActivityAt: at,
          awaitingSince: at,
        })
        .onConflictDoNothing()
        .returning({ id: tickets.id });
      if (!created) continue; // seeded before: leave whatever agents have done with it since
      await tx.insert(ticketMessages).values({ ticketId, authorKind: "requester", authorAccountId: demoId(`account:${t.key}`), authorName: person.name, body: t.body, createdAt: at });
      await tx.insert(ticketEvents).values({ ticketId, at, actorKind: "requester", actorAccountId: demoId(`account:${t.key}`), fromStatus: null, toStatus: "new" });
    }
    for (const m of MACROS) {
      await tx.insert(ticketMacros).values({ id: demoId(`macro:${m.key}`), title: m.title, body: m.body, setsStatus: m.setsStatus }).onConflictDoNothing();
    }
  });
  return {
    people: DEMO_PEOPLE.map((p) => ({ role: p.role, name: p.name, email: p.emails.find((e) => e.primary)?.email ?? p.emails[0].email, story: p.story })),
  };
}

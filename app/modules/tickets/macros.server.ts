// Macros: saved replies agents insert into the composer, managed at /agent/macros. Every change
// is audited. Filling one in for a ticket reads the live articles for {{article:<slug>}}.
import { asc, eq, sql } from "drizzle-orm";
import { db } from "#db/client.server";
import { ticketMacros, tickets, type TicketMacro } from "#db/schema";
import { config } from "~/lib/config.server";
import type { FieldErrors } from "~/lib/forms";
import { audit } from "~/modules/audit";
import { getSearchIndex, listLiveArticles } from "~/modules/kb";
import { fillMacro, placeholderProblem, type MacroInput } from "./macro-rules";
import { isUuid } from "~/lib/uuid";
import type { TicketStatus } from "./ticket-rules";

export type MacroSummary = Pick<TicketMacro, "id" | "title" | "body" | "setsStatus" | "updatedAt">;

export async function listMacros(): Promise<MacroSummary[]> {
  return db
    .select({ id: ticketMacros.id, title: ticketMacros.title, body: ticketMacros.body, setsStatus: ticketMacros.setsStatus, updatedAt: ticketMacros.updatedAt })
    .from(ticketMacros)
    .orderBy(asc(sql`lower(${ticketMacros.title})`));
}

export async function findMacro({ macroId }: { macroId: string }): Promise<MacroSummary | null> {
  if (!isUuid(macroId)) return null;
  const [macro] = await db
    .select({ id: ticketMacros.id, title: ticketMacros.title, body: ticketMacros.body, setsStatus: ticketMacros.setsStatus, updatedAt: ticketMacros.updatedAt })
    .from(ticketMacros)
    .where(eq(ticketMacros.id, macroId))
    .limit(1);
  return macro ?? null;
}

export type SaveMacroResult = { ok: true; macroId: string } | { ok: false; errors: FieldErrors } | { ok: false; reason: "not_found" };

/** Creates (no macroId) or updates a macro. Unknown placeholders, missing articles and a taken title are answered per field. */
export async function saveMacro({ actorId, macroId, input }: { actorId: string; macroId?: string | null; input: MacroInput }): Promise<SaveMacroResult> {
  const slugs = new Set((await listLiveArticles()).map((a) => a.slug));
  const problem = placeholderProblem(input.body, slugs);
  if (problem) return { ok: false, errors: { body: problem } };
  if (macroId && !isUuid(macroId)) return { ok: false, reason: "not_found" };
  return db.transaction(async (tx) => {
    const [clash] = await tx
      .select({ id: ticketMacros.id })
      .from(ticketMacros)
      .where(sql`lower(${ticketMacros.title}) = lower(${input.title}) and ${ticketMacros.id} is distinct from ${macroId ?? null}::uuid`)
      .limit(1);
    if (clash) return { ok: false, errors: { title: "Another macro has this title. Choose a different one." } } as const;
    const values = { title: input.title, body: input.body, setsStatus: input.setsStatus };
    if (!macroId) {
      const [created] = await tx.insert(ticketMacros).values({ ...values, createdBy: actorId }).returning({ id: ticketMacros.id });
      await audit(tx, { actorId, action: "macro.create", targetType: "macro", targetId: created.id, after: values });
      return { ok: true, macroId: created.id } as const;
    }
    const [before] = await tx.select().from(ticketMacros).where(eq(ticketMacros.id, macroId)).for("update").limit(1);
    if (!before) return { ok: false, reason: "not_found" } as const;
    await tx.update(ticketMacros).set({ ...values, updatedAt: new Date() }).where(eq(ticketMacros.id, macroId));
    await audit(tx, { actorId, action: "macro.update", targetType: "macro", targetId: macroId, before: { title: before.title, body: before.body, setsStatus: before.setsStatus }, after: values });
    return { ok: true, macroId } as const;
  });
}

/** Deletes a macro; true when there was one. */
export async function deleteMacro({ actorId, macroId }: { actorId: string; macroId: string }): Promise<boolean> {
  if (!isUuid(macroId)) return false;
  return db.transaction(async (tx) => {
    const [gone] = await tx.delete(ticketMacros).where(eq(ticketMacros.id, macroId)).returning();
    if (!gone) return false;
    await audit(tx, { actorId, action: "macro.delete", targetType: "macro", targetId: macroId, before: { title: gone.title, body: gone.body, setsStatus: gone.setsStatus } });
    return true;
  });
}

export type FilledMacro = { ok: true; text: string; setsStatus: TicketStatus | null; title: string } | { ok: false; reason: "no_ticket" | "no_macro" };

/** The macro filled in for a ticket, and the status it proposes. */
export async function fillMacroForTicket({ macroId, ticketId }: { macroId: string; ticketId: string }): Promise<FilledMacro> {
  if (!isUuid(ticketId)) return { ok: false, reason: "no_ticket" };
  const [ticket] = await db
    .select({ id: tickets.id, reference: tickets.reference, requesterName: tickets.requesterName, accountId: tickets.accountId })
    .from(tickets)
    .where(eq(tickets.id, ticketId))
    .limit(1);
  if (!ticket) return { ok: false, reason: "no_ticket" };
  const macro = await findMacro({ macroId });
  if (!macro) return { ok: false, reason: "no_macro" };
  const articles = new Map((await listLiveArticles()).map((a) => [a.slug, { title: a.title, url: `${config.appUrl}${a.url}` }]));
  // A guest's ticket page is behind a private link that each email mints afresh (the reply's
  // own email carries one); the macro points guests to My tickets instead of a link it can't know.
  const ticketLink = ticket.accountId ? `${config.appUrl}/tickets/${ticket.id}` : `${config.appUrl}/tickets`;
  return { ok: true, text: fillMacro(macro.body, { requesterName: ticket.requesterName, reference: ticket.reference, ticketLink, articles }), setsStatus: macro.setsStatus, title: macro.title };
}

/** Up to five live articles for the composer's article search: title and absolute address. */
export async function searchArticlesForComposer({ query }: { query: string }): Promise<{ slug: string; title: string; url: string }[]> {
  const text = query.trim();
  if (!text) return [];
  // Straight to the index, not searchArticles(): agents' searches are not learners' and must not
  // skew the editors' "searches that find nothing" report.
  const outcome = (await getSearchIndex()).search(text, { limit: 5 });
  return outcome.results.map((r) => ({ slug: r.slug, title: r.title, url: `${config.appUrl}${r.url}` }));
}

/** A live article as the composer inserts it ("Title: address"), or null when it isn't published. */
export async function articleLineForComposer({ slug }: { slug: string }): Promise<string | null> {
  const article = (await listLiveArticles()).find((a) => a.slug === slug);
  return article ? `${article.title}: ${config.appUrl}${article.url}` : null;
}

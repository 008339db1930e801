// A signed-in reader's article votes, for "Download my data", and forgetting who cast them when
// the account is deleted (the counts stay: they say how helpful an article is, not who said so).
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { db, type Executor } from "#db/client.server";
import { kbArticles, kbFeedback, kbVotes } from "#db/schema";

export async function votesForExport({ voterKey }: { voterKey: string }): Promise<{ article: string; helpful: boolean; at: string }[]> {
  const found = await db
    .select({ slug: kbArticles.slug, helpful: kbVotes.helpful, at: kbVotes.updatedAt })
    .from(kbVotes)
    .innerJoin(kbArticles, eq(kbArticles.id, kbVotes.articleId))
    .where(eq(kbVotes.voterKey, voterKey))
    .orderBy(kbVotes.updatedAt);
  return found.map((v) => ({ article: v.slug, helpful: v.helpful, at: v.at.toISOString() }));
}

/** Inside the deletion's transaction: each vote and comment gets a voter key of its own that leads nowhere; contact addresses go. */
export async function forgetVoter(tx: Executor, { voterKey }: { voterKey: string }): Promise<void> {
  const anonymous = `deleted:${randomUUID()}`;
  await tx.update(kbVotes).set({ voterKey: sql`${anonymous} || ':' || ${kbVotes.id}` }).where(eq(kbVotes.voterKey, voterKey));
  await tx
    .update(kbFeedback)
    .set({ voterKey: sql`${anonymous} || ':' || ${kbFeedback.id}`, contactEmail: null, wantsContact: false })
    .where(eq(kbFeedback.voterKey, voterKey));
}

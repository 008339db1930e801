import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Executor } from "#db/client.server";
import { emailTokens, type TokenPurpose } from "#db/schema";

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  verify_email: 24 * 60 * 60 * 1000,
  reset_password: 60 * 60 * 1000,
};

/** Stores the hash of a new single-use token and returns the token for the email link. */
export async function issueEmailToken(
  tx: Executor,
  { purpose, accountId, emailId }: { purpose: TokenPurpose; accountId: string; emailId?: string },
): Promise<string> {
  const token = randomToken();
  await tx.insert(emailTokens).values({
    purpose,
    accountId,
    emailId: emailId ?? null,
    tokenHash: sha256(token),
    expiresAt: new Date(Date.now() + TOKEN_LIFETIME_MS[purpose]),
  });
  return token;
}

export type TokenProblem = "unknown" | "used" | "expired";

/** Marks a token used and returns it, or says why it can't be used. Single use even under races. */
export async function consumeEmailToken(tx: Executor, { purpose, token }: { purpose: TokenPurpose; token: string }) {
  const [row] = await tx
    .select()
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, sha256(token)), eq(emailTokens.purpose, purpose)))
    .for("update")
    .limit(1);
  if (!row) return { ok: false as const, problem: "unknown" as TokenProblem };
  if (row.usedAt) return { ok: false as const, problem: "used" as TokenProblem };
  if (row.expiresAt.getTime() <= Date.now()) return { ok: false as const, problem: "expired" as TokenProblem };
  await tx.update(emailTokens).set({ usedAt: new Date() }).where(eq(emailTokens.id, row.id));
  return { ok: true as const, token: row };
}

/** Looks at a token without using it, e.g. to show the reset form only for a live link. */
export async function peekEmailToken(tx: Executor, { purpose, token }: { purpose: TokenPurpose; token: string }) {
  const [row] = await tx
    .select({ id: emailTokens.id, usedAt: emailTokens.usedAt, expiresAt: emailTokens.expiresAt, emailId: emailTokens.emailId })
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, sha256(token)), eq(emailTokens.purpose, purpose)))
    .limit(1);
  if (!row) return "unknown" as TokenProblem;
  if (row.usedAt) return "used" as TokenProblem;
  if (row.expiresAt.getTime() <= Date.now()) return "expired" as TokenProblem;
  return row;
}

/** When the newest verification link for this address was sent, if it was sent recently. */
export async function lastVerificationSentAfter(tx: Executor, { emailId, since }: { emailId: string; since: Date }) {
  const [row] = await tx
    .select({ createdAt: emailTokens.createdAt })
    .from(emailTokens)
    .where(and(eq(emailTokens.emailId, emailId), eq(emailTokens.purpose, "verify_email"), gt(emailTokens.createdAt, since)))
    .orderBy(desc(emailTokens.createdAt))
    .limit(1);
  return row?.createdAt ?? null;
}

export async function revokeUnusedTokens(tx: Executor, { accountId, purpose }: { accountId: string; purpose: TokenPurpose }) {
  await tx
    .update(emailTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(emailTokens.accountId, accountId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
}

// API tokens: random, shown once, stored as sha256, listed by prefix, revocable by their owner and by admins, every
// creation and revocation audited. Deactivating a user revokes theirs, so reactivation brings none back.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { db, type Prisma } from "../db";
import { AppError, parseInput } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { Actor } from "./permissions";
import { hasPermission, requirePermission } from "./permissions";
import { toActor } from "./actor";
import { prepared, preparedRows } from "../pg-pool";

const TOKEN_PREFIX = "pw_";

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export const createApiTokenSchema = z.strictObject(
  {
    name: z
      .string({ error: "is required: what the token is for" })
      .trim()
      .min(1, "is required: what the token is for")
      .max(100, "must be at most 100 characters"),
    userId: z.string().trim().min(1).max(100).optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `${(issue.keys ?? []).join(", ")}: a token takes name and userId` : "must be a JSON object",
  },
);
export type CreateApiTokenInput = z.input<typeof createApiTokenSchema>;

export const listApiTokensQuerySchema = z.object({
  userId: z.string().trim().min(1).max(100).optional(),
});

export type ApiTokenView = {
  id: string;
  userId: string;
  userEmail: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

type TokenRow = {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  user: { email: string };
};

function toView(row: TokenRow): ApiTokenView {
  return {
    id: row.id,
    userId: row.userId,
    userEmail: row.user.email,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** Anyone may manage their own tokens; someone else's need users.write (admins). */
function requireTokenOwnerOrAdmin(actor: Actor, userId: string): void {
  requirePermission(actor, "tokens.write");
  if (userId !== actor.id) requirePermission(actor, "users.write");
}

/**
 * The tokens of one user (the caller by default; admins may name anyone), or with `userId: "*"` every user's
 * (admins), newest first. The token itself is never readable again: only its first characters.
 */
export async function listApiTokens(actor: Actor, query: unknown = {}): Promise<ApiTokenView[]> {
  const { userId } = parseInput(listApiTokensQuerySchema, query);
  const owner = userId ?? actor.id;
  if (owner === "*") requirePermission(actor, "users.write");
  else requireTokenOwnerOrAdmin(actor, owner);
  const rows = await db.apiToken.findMany({
    where: owner === "*" ? {} : { userId: owner },
    include: { user: { select: { email: true } } },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    take: 1000,
  });
  return rows.map(toView);
}

/** Creates a token (for the caller, or for anyone by an admin), audited. The token is returned this once. */
export async function createApiToken(actor: Actor, input: unknown): Promise<ApiTokenView & { token: string }> {
  requirePermission(actor, "tokens.write");
  const data = parseInput(createApiTokenSchema, input);
  const userId = data.userId ?? actor.id;
  requireTokenOwnerOrAdmin(actor, userId);
  const token = TOKEN_PREFIX + randomBytes(24).toString("base64url");
  return db.$transaction(async (tx) => {
    const owner = await tx.user.findUnique({ where: { id: userId }, select: { email: true, active: true } });
    if (!owner) throw new AppError("not_found", `No user with id ${userId}.`);
    if (!owner.active) throw new AppError("conflict", `${owner.email} is deactivated; reactivate them first.`);
    const row = await tx.apiToken.create({
      data: { userId, name: data.name, tokenHash: hashToken(token), prefix: token.slice(0, 8) },
      include: { user: { select: { email: true } } },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "token.create",
      entityType: "api_token",
      entityId: row.id,
      after: { user: owner.email, name: row.name, prefix: row.prefix },
    });
    return { ...toView(row), token };
  });
}

/** Revokes a token of the caller's (or anyone's, by an admin), audited; revoking twice keeps the first time. */
export async function revokeApiToken(actor: Actor, tokenId: string): Promise<ApiTokenView> {
  requirePermission(actor, "tokens.write");
  return db.$transaction(async (tx) => {
    const row = await tx.apiToken.findUnique({ where: { id: tokenId }, include: { user: { select: { email: true } } } });
    // Someone else's token is "not found" to a non-admin: its existence is not theirs to learn.
    if (!row || (row.userId !== actor.id && !hasPermission(actor, "users.write"))) throw new AppError("not_found", `No token with id ${tokenId}.`);
    if (row.revokedAt) return toView(row);
    await revokeTokens(tx, actor.id, [row], row.userId === actor.id ? "revoked by its owner" : "revoked by an admin");
    return toView(await tx.apiToken.findUniqueOrThrow({ where: { id: tokenId }, include: { user: { select: { email: true } } } }));
  });
}

type RevocableToken = { id: string; name: string; prefix: string; user: { email: string } };

/** Revokes live tokens inside the caller's transaction, one audit entry each (`actorId` null: the operator). */
export async function revokeTokens(tx: Prisma.TransactionClient, actorId: string | null, tokens: RevocableToken[], reason: string): Promise<number> {
  if (tokens.length === 0) return 0;
  const now = new Date();
  await tx.apiToken.updateMany({ where: { id: { in: tokens.map((t) => t.id) }, revokedAt: null }, data: { revokedAt: now } });
  for (const row of tokens) {
    await recordAudit(tx, {
      actorId,
      action: "token.revoke",
      entityType: "api_token",
      entityId: row.id,
      before: { user: row.user.email, name: row.name, prefix: row.prefix, revokedAt: null },
      after: { revokedAt: now.toISOString(), reason },
    });
  }
  return tokens.length;
}

/** Revokes every live token of a user inside the caller's transaction (deactivation), one audit entry each. */
export async function revokeAllApiTokens(tx: Prisma.TransactionClient, actorId: string | null, userId: string, reason: string): Promise<number> {
  const live = await tx.apiToken.findMany({ where: { userId, revokedAt: null }, include: { user: { select: { email: true } } } });
  return revokeTokens(tx, actorId, live, reason);
}

const TOKEN_ACTOR = prepared(
  "pairwise-token-actor",
  `WITH found AS (
       SELECT t.id AS "tokenId", t."lastUsedAt", u.id, u.email, u.name, u.role, u."vendorId"
         FROM "ApiToken" t JOIN "User" u ON u.id = t."userId"
        WHERE t."tokenHash" = $1 AND t."revokedAt" IS NULL AND u.active
     ), touched AS (
       UPDATE "ApiToken" SET "lastUsedAt" = now() AT TIME ZONE 'UTC'
        WHERE id = (SELECT "tokenId" FROM found)
          AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() AT TIME ZONE 'UTC' - interval '1 minute')
     )
     SELECT id, email, name, role, "vendorId" FROM found`,
);

/**
 * Resolves a bearer token to its active user, or null. One statement (it runs on every API call): the lookup, and
 * at most one write a minute per token for its last-used time.
 */
export async function actorFromApiToken(token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const [row] = await preparedRows<Actor>(TOKEN_ACTOR, [hashToken(token)]);
  return row ? toActor(row) : null;
}

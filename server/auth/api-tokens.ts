// API tokens: random, shown once, stored as sha256, revocable, with a last-used time.
import { createHash, randomBytes } from "node:crypto";
import { db } from "../db";
import type { Actor } from "./permissions";
import { requirePermission } from "./permissions";
import { toActor } from "./actor";
import { prepared, preparedRows } from "../pg-pool";

const TOKEN_PREFIX = "pw_";

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates a token for `owner`. Admins may create one for anyone; others only for themselves. */
export async function createApiToken(actor: Actor, input: { userId: string; name: string }): Promise<{ id: string; token: string }> {
  requirePermission(actor, "tokens.write");
  if (input.userId !== actor.id) requirePermission(actor, "users.write");
  const token = TOKEN_PREFIX + randomBytes(24).toString("base64url");
  const row = await db.apiToken.create({
    data: { userId: input.userId, name: input.name, tokenHash: hashToken(token), prefix: token.slice(0, 8) },
  });
  return { id: row.id, token };
}

export async function revokeApiToken(actor: Actor, tokenId: string): Promise<void> {
  requirePermission(actor, "tokens.write");
  const row = await db.apiToken.findUnique({ where: { id: tokenId } });
  if (!row || (row.userId !== actor.id && actor.role !== "admin")) return;
  await db.apiToken.update({ where: { id: tokenId }, data: { revokedAt: row.revokedAt ?? new Date() } });
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
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const [row] = await preparedRows<Actor>(TOKEN_ACTOR, [hashToken(token)]);
  return row ? toActor(row) : null;
}

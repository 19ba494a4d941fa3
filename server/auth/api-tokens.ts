// API tokens: random, shown once, stored as sha256, revocable, with a last-used time.
import { createHash, randomBytes } from "node:crypto";
import { db } from "../db";
import type { Actor } from "./permissions";
import { requirePermission } from "./permissions";
import { toActor } from "./actor";

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

/** Resolves a bearer token to its active user, or null. */
export async function actorFromApiToken(token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!row || row.revokedAt || !row.user.active) return null;
  // Last-used is informative; at most one write a minute per token keeps hot paths cheap.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return toActor(row.user);
}

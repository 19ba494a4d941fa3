// Resolves who is calling: the session cookie (pages, Server Actions) or a bearer token (API v1).
import { cache } from "react";
import { getServerSession } from "next-auth";
import { prepared, preparedRows } from "../pg-pool";
import { authOptions } from "./options";
import { actorFromApiToken } from "./api-tokens";
import { toActor } from "./actor";
import { AppError } from "../errors";
import type { Actor } from "./permissions";

// One statement: the user, still active, and the session still of the current version (not signed out since,
// not deactivated, no new password).
const ACTIVE_USER = prepared(
  "pairwise-session-user",
  `SELECT id, email, name, role, "vendorId" FROM "User" WHERE id = $1 AND active AND "sessionVersion" = $2`,
);

export async function actorFromUserId(userId: string | undefined, sessionVersion: number | undefined): Promise<Actor | null> {
  if (!userId || typeof sessionVersion !== "number") return null;
  // A user deactivated after signing in loses access on the next request, not when the JWT expires.
  const [user] = await preparedRows<Actor>(ACTIVE_USER, [userId, sessionVersion]);
  return user ? toActor(user) : null;
}

/** The signed-in user of this request, resolved once per request; null when signed out, ended or deactivated. */
export const currentUser = cache(async (): Promise<Actor | null> => {
  const session = await getServerSession(authOptions());
  return actorFromUserId(session?.user?.id, session?.user?.sessionVersion);
});

/** Server Actions: the signed-in user, or an `unauthenticated` error the form shows. */
export async function signedInActor(): Promise<Actor> {
  const actor = await currentUser();
  if (!actor) throw new AppError("unauthenticated", "Your session ended. Sign in again.");
  return actor;
}

/** API callers: `Authorization: Bearer <token>` first, else the browser session (same-origin uploads). */
export async function actorFromRequest(request: Request): Promise<Actor | null> {
  const header = request.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match ? actorFromApiToken(match[1]) : null;
  }
  return currentUser();
}

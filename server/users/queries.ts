// Reads about people: the users list of the People page and the API, vendor names for export filters.
import { db } from "../db";
import { AppError } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import type { Role } from "@/lib/protocol";

export type UserView = {
  id: string;
  email: string;
  name: string;
  role: Role;
  vendor: string | null;
  active: boolean;
  createdAt: string;
  /** When this user last submitted a judgement (annotators); null if never. */
  lastJudgementAt: string | null;
};

export function toUserView(
  row: { id: string; email: string; name: string; role: Role; active: boolean; createdAt: Date; vendor: { name: string } | null },
  lastJudgementAt: Date | null,
): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    vendor: row.vendor?.name ?? null,
    active: row.active,
    createdAt: row.createdAt.toISOString(),
    lastJudgementAt: lastJudgementAt?.toISOString() ?? null,
  };
}

/** Every user, active first, then by email. */
export async function listUsers(actor: Actor): Promise<UserView[]> {
  requirePermission(actor, "users.read");
  const rows = await db.user.findMany({ include: { vendor: true }, orderBy: [{ active: "desc" }, { email: "asc" }] });
  const last = await db.judgement.groupBy({ by: ["annotatorId"], _max: { createdAt: true } });
  const lastBy = new Map(last.map((l) => [l.annotatorId, l._max.createdAt]));
  return rows.map((row) => toUserView(row, lastBy.get(row.id) ?? null));
}

export async function getUser(actor: Actor, userId: string): Promise<UserView> {
  requirePermission(actor, "users.read");
  const row = await db.user.findUnique({ where: { id: userId }, include: { vendor: true } });
  if (!row) throw new AppError("not_found", `No user with id ${userId}.`);
  const last = await db.judgement.aggregate({ where: { annotatorId: userId }, _max: { createdAt: true } });
  return toUserView(row, last._max.createdAt);
}

export async function listVendorNames(actor: Actor): Promise<string[]> {
  requirePermission(actor, "exports.read");
  const vendors = await db.vendor.findMany({ orderBy: { name: "asc" }, select: { name: true } });
  return vendors.map((v) => v.name);
}

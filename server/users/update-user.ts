// Changes a user's role, vendor or active state, PATCH style, with one audit entry per kind of change.
// Deactivating ends the user's sessions and revokes their API tokens in the same transaction, so reactivating
// them later brings back neither: they sign in again and make new tokens.
import { db, type Prisma } from "../db";
import { AppError, parseInput } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Actor } from "../auth/permissions";
import { updateUserSchema } from "./schemas";
import { endSessions } from "../auth/end-sessions";
import { revokeAllApiTokens } from "../auth/api-tokens";
import { toUserView, type UserView } from "./queries";

export async function updateUser(actor: Actor, userId: string, input: unknown): Promise<UserView> {
  requirePermission(actor, "users.write");
  const patch = parseInput(updateUserSchema, input);
  // An admin locking themself out (deactivated, or no longer admin) could leave nobody to undo it.
  if (userId === actor.id && patch.active === false) throw new AppError("conflict", "You cannot deactivate yourself; ask another admin.");
  if (userId === actor.id && patch.role !== undefined && patch.role !== actor.role) {
    throw new AppError("conflict", "You cannot change your own role; ask another admin.");
  }
  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`;
    if (!locked) throw new AppError("not_found", `No user with id ${userId}.`);
    const before = await tx.user.findUniqueOrThrow({ where: { id: userId }, include: { vendor: true } });
    let vendorId = before.vendorId;
    if (patch.vendor !== undefined) {
      const vendor = patch.vendor === null ? null : await tx.vendor.findUnique({ where: { name: patch.vendor } });
      if (patch.vendor !== null && !vendor) {
        throw new AppError("invalid_input", `vendor: no vendor named "${patch.vendor}"; create it on the Vendors page first`, {
          issues: [{ path: "vendor", message: `no vendor named "${patch.vendor}"` }],
        });
      }
      vendorId = vendor?.id ?? null;
    }
    const after = await tx.user.update({
      where: { id: userId },
      data: { role: patch.role, active: patch.active, vendorId },
      include: { vendor: true },
    });
    const audit = (action: string, beforeValue: object, afterValue: object) =>
      recordAudit(tx, {
        actorId: actor.id,
        action,
        entityType: "user",
        entityId: userId,
        before: { email: before.email, ...beforeValue },
        after: { email: after.email, ...afterValue },
      });
    if (before.role !== after.role) await audit("user.role", { role: before.role }, { role: after.role });
    if (before.vendorId !== after.vendorId)
      await audit("user.vendor", { vendor: before.vendor?.name ?? null }, { vendor: after.vendor?.name ?? null });
    if (before.active !== after.active)
      await audit(after.active ? "user.reactivate" : "user.deactivate", { active: before.active }, { active: after.active });
    if (before.active && !after.active) {
      await endSessions(userId, tx);
      await revokeAllApiTokens(tx, actor.id, userId, "user deactivated");
    }
    const [view] = await usersWithLastJudgement(tx, [userId]);
    return view;
  });
}

async function usersWithLastJudgement(tx: Prisma.TransactionClient, ids: string[]): Promise<UserView[]> {
  const rows = await tx.user.findMany({ where: { id: { in: ids } }, include: { vendor: true } });
  const last = await tx.judgement.groupBy({ by: ["annotatorId"], where: { annotatorId: { in: ids } }, _max: { createdAt: true } });
  return rows.map((row) => toUserView(row, last.find((l) => l.annotatorId === row.id)?._max.createdAt ?? null));
}

// A user changes their own password: the current one is required, and every session of theirs ends (other
// browsers, and this one: the page signs in again with the new password).
import { db } from "../db";
import { AppError, parseInput } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { hashPassword, verifyPassword } from "../auth/passwords";
import { endSessions } from "../auth/end-sessions";
import type { Actor } from "../auth/permissions";
import { changePasswordSchema } from "./schemas";

export async function changePassword(actor: Actor, input: unknown): Promise<{ changed: true }> {
  if (!actor) throw new AppError("unauthenticated", "Sign in first.");
  const data = parseInput(changePasswordSchema, input);
  const user = await db.user.findUnique({ where: { id: actor.id } });
  if (!user || !user.active) throw new AppError("unauthenticated", "Sign in first.");
  if (!(await verifyPassword(user.passwordHash, data.currentPassword))) {
    throw new AppError("invalid_input", "currentPassword: is not your current password", {
      issues: [{ path: "currentPassword", message: "is not your current password" }],
    });
  }
  if (data.newPassword === data.currentPassword) {
    throw new AppError("invalid_input", "newPassword: must differ from the current one", {
      issues: [{ path: "newPassword", message: "must differ from the current one" }],
    });
  }
  const passwordHash = await hashPassword(data.newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.id }, data: { passwordHash } });
    await endSessions(actor.id, tx);
    await recordAudit(tx, {
      actorId: actor.id,
      action: "user.password",
      entityType: "user",
      entityId: actor.id,
      after: { email: user.email, sessionsEnded: true },
    });
  });
  return { changed: true };
}

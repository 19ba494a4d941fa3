// Renames a vendor. Exports filter and report by vendor name, so the audit log keeps the old one.
import { db } from "../db";
import { AppError, parseInput } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Actor } from "../auth/permissions";
import { vendorSchema } from "./schemas";

export async function renameVendor(actor: Actor, vendorId: string, input: unknown): Promise<{ id: string; name: string }> {
  requirePermission(actor, "users.write");
  const { name } = parseInput(vendorSchema, input);
  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string; name: string }[]>`SELECT id, name FROM "Vendor" WHERE id = ${vendorId} FOR UPDATE`;
    if (!locked) throw new AppError("not_found", `No vendor with id ${vendorId}.`);
    if (locked.name === name) return { id: locked.id, name };
    const clash = await tx.vendor.findUnique({ where: { name } });
    if (clash) throw new AppError("conflict", `A vendor named "${name}" already exists.`);
    await tx.vendor.update({ where: { id: vendorId }, data: { name } }).catch((error: unknown) => {
      // A rival rename to the same name committed after our check.
      if ((error as { code?: string }).code === "P2002") throw new AppError("conflict", `A vendor named "${name}" already exists.`);
      throw error;
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "vendor.rename",
      entityType: "vendor",
      entityId: vendorId,
      before: { name: locked.name },
      after: { name },
    });
    return { id: vendorId, name };
  });
}

// Creates a vendor (a team of annotators); names are unique.
import { db } from "../db";
import { AppError, parseInput } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Actor } from "../auth/permissions";
import { vendorSchema } from "./schemas";

export async function createVendor(actor: Actor, input: unknown): Promise<{ id: string; name: string }> {
  requirePermission(actor, "users.write");
  const { name } = parseInput(vendorSchema, input);
  return db.$transaction(async (tx) => {
    const created = await tx.vendor.createMany({ data: [{ name }], skipDuplicates: true });
    if (created.count === 0) throw new AppError("conflict", `A vendor named "${name}" already exists.`);
    const vendor = await tx.vendor.findUniqueOrThrow({ where: { name } });
    await recordAudit(tx, { actorId: actor.id, action: "vendor.create", entityType: "vendor", entityId: vendor.id, after: { name } });
    return { id: vendor.id, name: vendor.name };
  });
}

// Creates a user (and their vendor, if new). Used by the admin console, the seed and `npm run user:create`.
import { db } from "../db";
import { AppError, parseInput } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { hashPassword } from "../auth/passwords";
import { requirePermission, type Actor } from "../auth/permissions";
import { createUserSchema } from "./schemas";

/** `actor` null means the operator at the command line (bootstrap): no one to check, recorded as such. */
export async function createUser(actor: Actor | null, input: unknown): Promise<{ id: string; email: string }> {
  if (actor) requirePermission(actor, "users.write");
  const data = parseInput(createUserSchema, input);
  const existing = await db.user.findUnique({ where: { email: data.email } });
  if (existing) throw new AppError("conflict", `A user with email ${data.email} already exists.`);
  const passwordHash = await hashPassword(data.password);
  return db.$transaction(async (tx) => {
    // Insert-if-absent, not upsert: two users of a new vendor created at once must not collide.
    if (data.vendor) await tx.vendor.createMany({ data: [{ name: data.vendor }], skipDuplicates: true });
    const vendor = data.vendor ? await tx.vendor.findUniqueOrThrow({ where: { name: data.vendor } }) : null;
    const user = await tx.user.create({
      data: {
        email: data.email,
        name: data.name ?? data.email.split("@")[0],
        passwordHash,
        role: data.role,
        vendorId: vendor?.id ?? null,
      },
    });
    await recordAudit(tx, {
      actorId: actor?.id ?? null,
      action: "user.create",
      entityType: "user",
      entityId: user.id,
      after: { email: user.email, role: user.role, vendor: data.vendor ?? null },
    });
    return { id: user.id, email: user.email };
  });
}

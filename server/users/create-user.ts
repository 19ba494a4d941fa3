// Creates a user (and their vendor, if new). Used by the admin console, the API, the seed and `npm run user:create`.
// Without a password one is generated and returned once, for the admin to hand over; only its hash is stored.
import { randomInt } from "node:crypto";
import { db } from "../db";
import { AppError, parseInput } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { hashPassword } from "../auth/passwords";
import { requirePermission, type Actor } from "../auth/permissions";
import { createUserSchema } from "./schemas";

export type CreatedUser = { id: string; email: string; generatedPassword?: string };

// No 0/O, 1/l/I: the password is read off a screen and typed by someone else.
const ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** 20 characters in four groups, ~113 bits. */
export function generatePassword(): string {
  const groups = Array.from({ length: 4 }, () => Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(""));
  return groups.join("-");
}

/** `actor` null means the operator at the command line (bootstrap): no one to check, recorded as such. */
export async function createUser(actor: Actor | null, input: unknown): Promise<CreatedUser> {
  if (actor) requirePermission(actor, "users.write");
  const data = parseInput(createUserSchema, input);
  const existing = await db.user.findUnique({ where: { email: data.email } });
  if (existing) throw new AppError("conflict", `A user with email ${data.email} already exists.`);
  const generatedPassword = data.password === undefined ? generatePassword() : undefined;
  const passwordHash = await hashPassword(data.password ?? generatedPassword!);
  return db.$transaction(async (tx) => {
    // Insert-if-absent, not upsert: two users of a new vendor created at once must not collide.
    const newVendor = data.vendor ? (await tx.vendor.createMany({ data: [{ name: data.vendor }], skipDuplicates: true })).count === 1 : false;
    const vendor = data.vendor ? await tx.vendor.findUniqueOrThrow({ where: { name: data.vendor } }) : null;
    if (vendor && newVendor) {
      await recordAudit(tx, {
        actorId: actor?.id ?? null,
        action: "vendor.create",
        entityType: "vendor",
        entityId: vendor.id,
        after: { name: vendor.name },
      });
    }
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
      after: {
        email: user.email,
        name: user.name,
        role: user.role,
        vendor: vendor?.name ?? null,
        active: true,
        passwordGenerated: !!generatedPassword,
      },
    });
    return { id: user.id, email: user.email, ...(generatedPassword ? { generatedPassword } : {}) };
  });
}

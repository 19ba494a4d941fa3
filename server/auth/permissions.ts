// Named permissions, granted per role in this one place, and the one check every server/ function calls.
import type { Role } from "@/lib/protocol";
import { AppError } from "../errors";

export const PERMISSIONS = [
  "tasks.claim",
  "judgements.submit",
  "batches.read",
  "batches.write",
  "items.import",
  "exports.read",
  "datasets.write",
  "users.read",
  "users.write",
  "tokens.write",
  "model-variants.write",
  "audit.read",
  "insights.read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  annotator: ["tasks.claim", "judgements.submit", "tokens.write"],
  admin: [
    "batches.read",
    "batches.write",
    "items.import",
    "exports.read",
    "datasets.write",
    "users.read",
    "users.write",
    "tokens.write",
    "model-variants.write",
    "audit.read",
    "insights.read",
  ],
  researcher: ["batches.read", "exports.read", "datasets.write", "tokens.write", "insights.read"],
};

/** The signed-in user as every server/ function sees it. */
export type Actor = {
  id: string;
  email: string;
  name: string;
  role: Role;
  vendorId: string | null;
};

export function hasPermission(actor: Pick<Actor, "role"> | null | undefined, permission: Permission): boolean {
  return !!actor && GRANTS[actor.role].includes(permission);
}

export function requirePermission(actor: Actor | null | undefined, permission: Permission): asserts actor is Actor {
  if (!actor) throw new AppError("unauthenticated", "Sign in first.");
  if (!hasPermission(actor, permission)) {
    throw new AppError("forbidden", `Your role (${actor.role}) lacks the permission "${permission}".`);
  }
}

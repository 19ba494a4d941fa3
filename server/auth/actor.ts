// Turns a user row into the Actor every server/ function receives.
import type { Actor } from "./permissions";
import type { Role } from "@/lib/protocol";

export function toActor(user: { id: string; email: string; name: string; role: Role; vendorId: string | null }): Actor {
  return { id: user.id, email: user.email, name: user.name, role: user.role, vendorId: user.vendorId };
}

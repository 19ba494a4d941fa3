// What Pairwise keeps in next-auth's user, session and JWT.
import type { Role } from "@/lib/protocol";

declare module "next-auth" {
  interface User {
    role: Role;
    sessionVersion: number;
  }
  interface Session {
    user?: { id?: string; role?: Role; name?: string | null; email?: string | null; sessionVersion?: number };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
    /** User.sessionVersion when this session began: a bumped version ends it (sign-out, deactivation, new password). */
    sv?: number;
  }
}

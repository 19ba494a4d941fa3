// Password hashing with argon2id (OWASP's recommended parameters).
import { hash, verify } from "@node-rs/argon2";

// algorithm 2 is Argon2id (the package exports it as a const enum, which isolated modules cannot read).
const OPTIONS = { algorithm: 2 as const, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * An argon2id hash (same parameters) of a random password nobody knows: sign-in verifies unknown emails against it,
 * so they take as long as a wrong password for a known one.
 */
export const DUMMY_PASSWORD_HASH = "$argon2id$v=19$m=19456,t=2,p=1$a1cXgZvuf1tnoEfXrEPkGg$dpLmtpJtP8Nhivl8tqs6k/cScG92pUXSo1nWRDDXnTY";

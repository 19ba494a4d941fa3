// The key annotator pseudonyms are made with (ann_ + HMAC-SHA256(key, user id)). PSEUDONYM_SECRET when the operator
// sets one; otherwise a random key generated on first use and kept in the database, so `npm start` needs no
// configuration and pseudonyms never depend on the session secret (rotating NEXTAUTH_SECRET changes no export).
// A saved dataset keeps the key it was made with (Dataset.pseudonymSecret), so no later change alters its bytes.
import { randomBytes } from "node:crypto";
import { db } from "../db";
import { getEnv } from "../env";

const NAME = "pseudonym";

export async function currentPseudonymSecret(): Promise<string> {
  const configured = getEnv().PSEUDONYM_SECRET;
  if (configured) return configured;
  const stored = () => db.$queryRaw<{ value: string }[]>`SELECT value FROM "PlatformSecret" WHERE name = ${NAME}`;
  const [kept] = await stored();
  if (kept) return kept.value;
  // Two servers generating at once: the first insert wins and both read it back (a new statement sees it).
  await db.$executeRaw`INSERT INTO "PlatformSecret" (name, value) VALUES (${NAME}, ${randomBytes(32).toString("hex")}) ON CONFLICT (name) DO NOTHING`;
  const [generated] = await stored();
  return generated.value;
}

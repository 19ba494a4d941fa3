// npm run token:revoke -- --prefix P | --id ID | --email E --all: revokes API tokens as the operator, audited.
import "dotenv/config";
import { readFlags, runCli } from "./args";
import { db } from "../db";
import { revokeAllApiTokens, revokeTokens } from "../auth/api-tokens";
import { AppError } from "../errors";

const USAGE = "npm run token:revoke -- --prefix pw_XXXXX | --id TOKEN_ID | --email E --all";
const flags = readFlags({ prefix: { type: "string" }, id: { type: "string" }, email: { type: "string" }, all: { type: "boolean" } }, USAGE);

void runCli(async () => {
  if (flags.email) {
    if (!flags.all) throw new AppError("invalid_input", `--email revokes every token of that user: add --all to confirm. ${USAGE}`);
    const user = await db.user.findUnique({ where: { email: flags.email.trim().toLowerCase() } });
    if (!user) throw new AppError("not_found", `No user with email ${flags.email}.`);
    const count = await db.$transaction((tx) => revokeAllApiTokens(tx, null, user.id, "revoked by the operator (npm run token:revoke)"));
    console.error(`Revoked ${count} token${count === 1 ? "" : "s"} of ${user.email}.`);
    return;
  }
  if (!flags.prefix && !flags.id) throw new AppError("invalid_input", USAGE);
  const matches = await db.apiToken.findMany({
    where: flags.id ? { id: flags.id } : { prefix: flags.prefix },
    include: { user: { select: { email: true } } },
  });
  if (matches.length === 0) throw new AppError("not_found", `No token with ${flags.id ? `id ${flags.id}` : `prefix ${flags.prefix}`}.`);
  if (matches.length > 1) {
    throw new AppError(
      "conflict",
      `${matches.length} tokens have prefix ${flags.prefix}: revoke by --id (${matches.map((m) => `${m.id} of ${m.user.email}`).join(", ")}).`,
    );
  }
  const [token] = matches;
  if (token.revokedAt) {
    console.error(`Token ${token.prefix}… of ${token.user.email} was already revoked at ${token.revokedAt.toISOString()}.`);
    return;
  }
  await db.$transaction((tx) => revokeTokens(tx, null, [token], "revoked by the operator (npm run token:revoke)"));
  console.error(`Revoked token ${token.prefix}… (${token.name}) of ${token.user.email}.`);
});

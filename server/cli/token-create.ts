// npm run token:create -- --email E [--name N]: prints a new API token once; only its hash is stored.
import "dotenv/config";
import { readFlags, runCli } from "./args";
import { db } from "../db";
import { createApiToken } from "../auth/api-tokens";
import { toActor } from "../auth/actor";
import { AppError } from "../errors";

const flags = readFlags({ email: { type: "string" }, name: { type: "string" } }, "npm run token:create -- --email E [--name N]");

void runCli(async () => {
  if (!flags.email) throw new AppError("invalid_input", "--email is required");
  const user = await db.user.findUnique({ where: { email: flags.email.trim().toLowerCase() } });
  if (!user) throw new AppError("not_found", `No user with email ${flags.email}.`);
  if (!user.active) throw new AppError("conflict", `${flags.email} is deactivated.`);
  // The operator acts as the user here: the token carries exactly that user's permissions.
  const { token } = await createApiToken(toActor(user), { userId: user.id, name: flags.name ?? "cli" });
  console.log(token);
  console.error(`Token for ${user.email} (${user.role}). It is shown once; store it now.`);
});

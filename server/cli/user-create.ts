// npm run user:create -- --email E [--password P] --role R [--vendor V] [--name N]; without --password one is generated.
import "dotenv/config";
import { readFlags, runCli } from "./args";
import { createUser } from "../users/create-user";

const USAGE = "npm run user:create -- --email E [--password P] --role annotator|admin|researcher [--vendor V] [--name N]";
const flags = readFlags(
  { email: { type: "string" }, password: { type: "string" }, role: { type: "string" }, vendor: { type: "string" }, name: { type: "string" } },
  USAGE,
);

void runCli(async () => {
  const user = await createUser(null, flags);
  console.log(`created ${user.email} (${flags.role}) id=${user.id}`);
  if (user.generatedPassword) console.log(`password (shown once): ${user.generatedPassword}`);
});

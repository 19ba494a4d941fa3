// npm run db:seed: seeds the demo into the database of DATABASE_URL, once.
import "dotenv/config";
import { formatCredentials, seedDemo } from "../server/demo/seed-demo";
import { runCli } from "../server/cli/args";

void runCli(async () => {
  const credentials = await seedDemo();
  console.log(credentials ? formatCredentials(credentials) : "The database already has users; nothing seeded.");
});

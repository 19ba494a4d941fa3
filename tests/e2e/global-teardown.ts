import { dropTestDatabase } from "../support/test-database";

export default async function teardown() {
  if (process.env.E2E_DATABASE_NAME) await dropTestDatabase(process.env.E2E_DATABASE_NAME);
}

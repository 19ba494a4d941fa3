// Points server/ at this run's database before any test imports it.
import { afterAll, inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.NEXTAUTH_SECRET ??= "integration-tests-secret-0123456789";
process.env.DATABASE_POOL_MAX ??= "20";

afterAll(async () => {
  const { disconnectDb } = await import("@/server/db");
  const { closePgPool } = await import("@/server/pg-pool");
  await disconnectDb();
  await closePgPool();
});

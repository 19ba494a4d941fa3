// The committed migrations must build exactly the schema in prisma/schema.prisma:
// a fresh database, `prisma migrate deploy`, then `prisma migrate diff` from that
// database to the schema must find nothing. Fails when someone changes the schema
// without adding a migration (or edits a migration by hand).
//
// Runs the real Prisma CLI, i.e. also exercises prisma/engine/schema-engine.mjs
// (the offline schema engine that prisma.config.ts points the CLI at).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PRISMA = path.join(ROOT, "node_modules", ".bin", "prisma");
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const TIMEOUT = 120_000;

const databaseName = `pairwise_migrations_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
const databaseUrl = (() => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${databaseName}`;
  return url.toString();
})();

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function prisma(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, NO_COLOR: "1" };
  delete env.SHADOW_DATABASE_URL;
  const result = spawnSync(PRISMA, args, { cwd: ROOT, env, encoding: "utf8", timeout: TIMEOUT });
  const output = `$ prisma ${args.join(" ")}\n${result.stdout}\n${result.stderr}${result.error ? `\n${result.error}` : ""}`;
  return { status: result.status, stdout: result.stdout, output };
}

describe("database migrations", () => {
  beforeAll(async () => {
    await admin(`CREATE DATABASE "${databaseName}"`);
  }, TIMEOUT);

  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  }, TIMEOUT);

  it(
    "apply to a fresh database and leave no drift from prisma/schema.prisma",
    () => {
      const deploy = prisma("migrate", "deploy");
      expect(deploy.status, deploy.output).toBe(0);
      expect(deploy.stdout, deploy.output).toMatch(/successfully applied/);

      const status = prisma("migrate", "status");
      expect(status.status, status.output).toBe(0);
      expect(status.stdout, status.output).toMatch(/Database schema is up to date/);

      // --exit-code: 0 = no difference, 2 = the database differs from the schema.
      const diff = prisma("migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code");
      expect(
        diff.status,
        `prisma/schema.prisma has changes that no migration creates; ` + `run \`npx prisma migrate dev --name <change>\`.\n${diff.output}`,
      ).toBe(0);
      expect(diff.stdout, diff.output).toMatch(/No difference detected/);
    },
    TIMEOUT,
  );
});

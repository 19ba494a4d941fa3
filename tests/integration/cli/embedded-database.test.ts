// The command-line tools work on npm start's embedded database, with no DATABASE_URL and no auth secret set: when
// npm start is not running (they open .data/pg themselves) and while it is (they connect to its Postgres).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/server/cli/embedded-postgres";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const TIMEOUT = 180_000;

/** Runs a command without blocking this process: the embedded Postgres it talks to may live in it. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk));
    child.on("close", (status) => resolve({ status, out }));
  });
}

/** A tool as a user runs it: no DATABASE_URL, no auth secret, the data directory of npm start. */
function tool(script: string, args: string[], dataDir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, PAIRWISE_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.NEXTAUTH_SECRET;
  delete env.DATABASE_SINGLE_SESSION;
  return run(path.join(ROOT, "node_modules", ".bin", "tsx"), [script, ...args], env);
}

async function emails(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ email: string }>(`SELECT email FROM "User" ORDER BY email`)).rows.map((r) => r.email);
  } finally {
    await client.end();
  }
}

describe("command-line tools on the embedded database", () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "pairwise-cli-"));
    // What npm start leaves behind: a migrated .data/pg and its session secret.
    const embedded = await startEmbeddedPostgres(path.join(dataDir, "pg"));
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: embedded.url };
    const migrated = await run(path.join(ROOT, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], env);
    await embedded.stop();
    expect(migrated.status, migrated.out).toBe(0);
    writeFileSync(path.join(dataDir, "nextauth-secret"), "a-secret-npm-start-kept-0123456789");
  }, TIMEOUT);

  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    "create a user and a token while npm start is not running, then while it is",
    async () => {
      const created = await tool(
        "server/cli/user-create.ts",
        ["--email", "offline@cli.test", "--role", "annotator", "--password", "correct horse battery"],
        dataDir,
      );
      expect(created.out).toContain("created offline@cli.test");
      expect(created.status).toBe(0);
      const token = await tool("server/cli/token-create.ts", ["--email", "offline@cli.test"], dataDir);
      expect(token.status, token.out).toBe(0);
      expect(token.out).toMatch(/pw_[A-Za-z0-9_-]{20,}/);

      // npm start running: its Postgres listens, and its address is where the tools look.
      const running = await startEmbeddedPostgres(path.join(dataDir, "pg"));
      writeFileSync(path.join(dataDir, "embedded.json"), JSON.stringify({ url: running.url, pid: process.pid }));
      try {
        const online = await tool("server/cli/user-create.ts", ["--email", "online@cli.test", "--role", "researcher"], dataDir);
        expect(online.status, online.out).toBe(0);
        expect(online.out).toContain("password (shown once)");
        expect(await emails(running.url)).toEqual(["offline@cli.test", "online@cli.test"]);
        const exported = await tool("server/cli/export.ts", ["--format", "canonical"], dataDir);
        expect(exported.status, exported.out).toBe(0);
      } finally {
        await running.stop();
        rmSync(path.join(dataDir, "embedded.json"), { force: true });
      }
    },
    TIMEOUT,
  );

  it("say what to do when there is no database at all", async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "pairwise-cli-empty-"));
    try {
      const result = await tool("server/cli/user-create.ts", ["--email", "x@cli.test", "--role", "admin"], empty);
      expect(result.status).toBe(1);
      expect(result.out).toContain("set DATABASE_URL, or run `npm start` once");
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

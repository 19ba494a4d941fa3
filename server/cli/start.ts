// npm start: the zero-setup way to run Pairwise. With no DATABASE_URL it starts an embedded Postgres
// under .data/, applies migrations, seeds a demo on first start, builds if needed, and serves the app.
import "dotenv/config";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres";
import { announceEmbedded, dataDir as embeddedDataDir } from "./embedded-database";

const root = process.cwd();
const dataDir = embeddedDataDir();
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

function step(message: string) {
  console.log(`\u203a ${message}`);
}

/** A secret kept under .data/ so sessions survive restarts; generated on first start. */
function persistentSecret(name: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, name);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/** Runs a command to completion without blocking this process: the embedded Postgres lives in it. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(command)} ${args.join(" ")} failed (exit ${code})`))));
  });
}

async function main() {
  // This process seeds through server/ itself and hands the same environment to its children.
  const env = process.env;
  env.NEXT_TELEMETRY_DISABLED = "1";
  const port = env.PORT ?? "3000";
  env.NEXTAUTH_SECRET ??= persistentSecret("nextauth-secret");
  env.NEXTAUTH_URL ??= `http://localhost:${port}`;

  let embedded: EmbeddedPostgres | null = null;
  if (!env.DATABASE_URL) {
    step("No DATABASE_URL: starting the embedded Postgres (data in .data/pg)");
    embedded = await startEmbeddedPostgres(path.join(dataDir, "pg"));
    env.DATABASE_URL = embedded.url;
    env.DATABASE_POOL_MAX ??= "8";
    env.DATABASE_SINGLE_SESSION = "true";
  }
  // The command-line tools (user:create, token:create, export, db:seed) find the running database here.
  const forget = embedded ? announceEmbedded(embedded.url) : () => undefined;
  const stopDatabase = async () => {
    forget();
    await embedded?.stop().catch(() => undefined);
    embedded = null;
  };

  try {
    step("Applying database migrations");
    await run(bin("prisma"), ["migrate", "deploy"], env);

    if (embedded) {
      const { seedDemo, formatCredentials } = await import("../demo/seed-demo");
      const { disconnectDb } = await import("../db");
      const credentials = await seedDemo();
      await disconnectDb();
      if (credentials) console.log(`\n${formatCredentials(credentials)}\n`);
    }

    if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
      // A user's first start builds the app and nothing more: type-checking is npm test's work (next.config.ts).
      step("Building the app (first start only)");
      await run(bin("next"), ["build"], { ...env, PAIRWISE_SKIP_TYPECHECK: "1" });
    }
  } catch (error) {
    console.error(`\n${(error as Error).message}`);
    await stopDatabase();
    process.exit(1);
  }

  step(`Serving http://localhost:${port}`);
  const app = spawn(bin("next"), ["start", "-p", port], { stdio: "inherit", env });
  const shutdown = (signal: NodeJS.Signals) => {
    app.kill(signal);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  app.on("exit", async (code) => {
    await stopDatabase();
    process.exit(code ?? 0);
  });
}

void main();

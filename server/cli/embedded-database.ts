// The command-line tools on the embedded database of npm start (no DATABASE_URL): while npm start runs, they connect
// to its Postgres (it leaves its address in .data/embedded.json); when it does not, they open .data/pg themselves
// for as long as they run. They take the secrets npm start keeps under .data/, so tools that sign or pseudonymise
// (export) give the same results as the app.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres } from "./embedded-postgres";

export function dataDir(): string {
  return path.resolve(process.env.PAIRWISE_DATA_DIR ?? path.join(process.cwd(), ".data"));
}

const ADDRESS_FILE = "embedded.json";

/** npm start: where its embedded Postgres listens, for the tools to find (removed when it stops). */
export function announceEmbedded(url: string): () => void {
  const file = path.join(dataDir(), ADDRESS_FILE);
  writeFileSync(file, JSON.stringify({ url, pid: process.pid }), { mode: 0o600 });
  return () => rmSync(file, { force: true });
}

function running(): string | null {
  const file = path.join(dataDir(), ADDRESS_FILE);
  if (!existsSync(file)) return null;
  try {
    const { url, pid } = JSON.parse(readFileSync(file, "utf8")) as { url: string; pid: number };
    process.kill(pid, 0); // throws when that npm start is gone
    return url;
  } catch {
    return null;
  }
}

function secret(name: string): string | undefined {
  const file = path.join(dataDir(), name);
  return existsSync(file) ? readFileSync(file, "utf8").trim() : undefined;
}

/**
 * Points this process at a database: DATABASE_URL when set, else npm start's embedded one (running, or opened here).
 * Returns what to call when the tool is done.
 */
export async function connectDatabase(): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL) return async () => undefined;
  if (!existsSync(path.join(dataDir(), "pg"))) {
    throw new Error("No database: set DATABASE_URL, or run `npm start` once to create the embedded one under .data/.");
  }
  process.env.NEXTAUTH_SECRET ??= secret("nextauth-secret");
  process.env.DATABASE_SINGLE_SESSION = "true";
  const url = running();
  if (url) {
    process.env.DATABASE_URL = url;
    return async () => undefined;
  }
  const embedded = await startEmbeddedPostgres(path.join(dataDir(), "pg"));
  process.env.DATABASE_URL = embedded.url;
  return embedded.stop;
}

// Tiny flag parsing for the npm run CLIs: --name value pairs, with a clear error for anything else.
import { parseArgs } from "node:util";

type FlagSpec = { type: "string" | "boolean"; multiple?: boolean };
type FlagValue<S extends FlagSpec> = S["type"] extends "string" ? (S["multiple"] extends true ? string[] : string) : boolean;

export function readFlags<T extends Record<string, FlagSpec>>(options: T, usage: string) {
  try {
    return parseArgs({ options, allowPositionals: false, strict: true }).values as { [K in keyof T]?: FlagValue<T[K]> };
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: ${usage}`);
    process.exit(2);
  }
}

/**
 * Runs a CLI body on the database (DATABASE_URL, else the embedded one of npm start: server/cli/embedded-database.ts):
 * errors print their message and exit 1; connections are closed either way.
 */
export async function runCli(body: () => Promise<void>): Promise<void> {
  const { connectDatabase } = await import("./embedded-database");
  let release: () => Promise<void> = async () => undefined;
  const { disconnectDb } = await import("../db");
  const { closePgPool } = await import("../pg-pool");
  try {
    release = await connectDatabase();
    await body();
  } catch (error) {
    console.error(error instanceof Error ? `error: ${error.message}` : error);
    process.exitCode = 1;
  } finally {
    await disconnectDb();
    await closePgPool();
    await release();
  }
}

// Starts the built app (`next start`) for a benchmark against a given database, and waits until it answers.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { request, sleep } from "./http-client";

export const ROOT = path.resolve(__dirname, "..", "..");

/** Builds the app as it is now (a stale build would measure old code); BENCH_SKIP_BUILD=1 reuses the last build. */
export function ensureBuilt(): void {
  if (process.env.BENCH_SKIP_BUILD === "1" && existsSync(path.join(ROOT, ".next", "BUILD_ID"))) return;
  console.error("next build");
  const result = spawnSync(path.join(ROOT, "node_modules", ".bin", "next"), ["build"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed");
}

export type NextServer = { url: string; process: ChildProcess; stop: () => Promise<void> };

export async function startNextServer(options: { port: number; databaseUrl: string; env?: Record<string, string> }): Promise<NextServer> {
  const url = `http://127.0.0.1:${options.port}`;
  // BENCH_APP_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", shows where the server's time goes.
  const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const nextBin = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
  const child = spawn(process.execPath, [...nodeArgs, nextBin, "start", "-p", String(options.port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      NEXTAUTH_SECRET: "bench-secret-0123456789abcdef",
      NEXTAUTH_URL: url,
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
      ...options.env,
    },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start on ${options.port} exited with ${child.exitCode}`);
    try {
      if ((await request("GET", `${url}/api/health`, { timeoutMs: 1000 })).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`next start on ${options.port} did not answer within 60 s`);
    await sleep(200);
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(5000)]);
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  return { url, process: child, stop };
}

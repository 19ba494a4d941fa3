// npm run bench:first-start — what a new user waits for: a fresh clone of this repository (its last commit), then
// the README's `npm install && npm start`, timed to the moment the sign-in page answers. Each step's seconds go to
// bench/first-start/last-run.json. It downloads packages from the registry (npm's cache, if warm, makes it faster:
// the output says whether the cache held them). No goal: the figure is stated in the README as measured.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describeMachine, finishBench } from "../support/report";
import { ROOT } from "../support/next-server";
import { request, sleep } from "../support/http-client";

const PORT = 3410;

function timed(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, env, stdio: ["ignore", "ignore", "inherit"] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed with ${result.status}`);
  return (performance.now() - started) / 1000;
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pairwise-first-start-"));
  const clone = path.join(dir, "pairwise");
  try {
    const cloneSeconds = timed("git", ["clone", "--quiet", ROOT, clone], dir);
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(PORT), NEXT_TELEMETRY_DISABLED: "1" };
    delete env.DATABASE_URL;
    delete env.NEXTAUTH_SECRET;
    const installSeconds = timed("npm", ["install", "--no-audit", "--no-fund"], clone, env);
    const started = performance.now();
    const app = spawn("npm", ["start"], { cwd: clone, env, stdio: ["ignore", "pipe", "inherit"], detached: true });
    let log = "";
    app.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
    for (;;) {
      if (app.exitCode !== null) throw new Error(`npm start exited with ${app.exitCode}:\n${log}`);
      try {
        if ((await request("GET", `http://127.0.0.1:${PORT}/sign-in`, { timeoutMs: 2000 })).status === 200) break;
      } catch {
        // not serving yet
      }
      await sleep(250);
    }
    const startSeconds = (performance.now() - started) / 1000;
    process.kill(-app.pid!, "SIGTERM");
    await sleep(2000);
    const machine = await describeMachine("postgresql://postgres@127.0.0.1:5432/postgres");
    const round = (n: number) => Math.round(n * 10) / 10;
    const figures = {
      cloneSeconds: round(cloneSeconds),
      npmInstallSeconds: round(installSeconds),
      npmStartToSignInSeconds: round(startSeconds),
      totalSeconds: round(cloneSeconds + installSeconds + startSeconds),
      builtWithoutTypeCheck: log.includes("Skipping validation of types") || !log.includes("Running TypeScript"),
    };
    console.log(JSON.stringify(figures, null, 2));
    process.exitCode = finishBench(path.join(ROOT, "bench", "first-start"), machine, figures, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

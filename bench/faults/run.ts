// npm run bench:faults — nothing lost under faults (issue 8, point 5). A private Postgres cluster on its own port
// (never the machine's own), a 4,000-comparison batch, and 40 annotators claiming and judging through API v1 with
// idempotency keys, retrying every failed call (after Retry-After on a 503). Meanwhile: SIGKILL of the server and a
// restart; then Postgres stopped for 8 s and started again, the server left running. Afterwards every judgement
// acknowledged with a 2xx is stored exactly once, no comparison is above k, every retry of a key got the
// judgement first acknowledged for it, the API answered 503 unavailable with Retry-After (and no 500) while Postgres
// was down, and judgements were made again after it came back, without a restart. Exits 1 on any miss.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { fillBatch } from "../../tests/support/fill-batch";
import { describeMachine, finishBench, type Goal } from "../support/report";
import { request, runClients, sleep } from "../support/http-client";
import { ROOT, ensureBuilt, startNextServer, type NextServer } from "../support/next-server";

const PG_PORT = 55_432;
const APP_PORT = 3307;
const CLIENTS = 40;
const SECONDS = 45;

/** A throw-away Postgres cluster of the machine's own version, owned by the postgres user when we are root. */
function privateCluster() {
  const versions = readdirSync("/usr/lib/postgresql").sort();
  const bin = path.join("/usr/lib/postgresql", versions.at(-1)!, "bin");
  const dir = mkdtempSync(path.join(os.tmpdir(), "pairwise-faults-"));
  const asRoot = process.getuid?.() === 0;
  const uid = asRoot ? Number(execFileSync("id", ["-u", "postgres"]).toString().trim()) : undefined;
  const gid = asRoot ? Number(execFileSync("id", ["-g", "postgres"]).toString().trim()) : undefined;
  if (asRoot) chownSync(dir, uid!, gid!);
  const run = (tool: string, args: string[]) => {
    const result = asRoot
      ? spawnSync("runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args], { encoding: "utf8" })
      : spawnSync(path.join(bin, tool), args, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${tool} ${args.join(" ")} failed: ${result.stdout}${result.stderr}`);
  };
  // pg_ctl start/stop run without blocking the event loop: the clients keep sending (and their answers keep being
  // read) while Postgres goes down and comes back.
  const runAsync = (tool: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = asRoot
        ? spawn("runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args], { stdio: "ignore" })
        : spawn(path.join(bin, tool), args, { stdio: "ignore" });
      child.once("error", reject);
      child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${tool} ${args.join(" ")} exited with ${code}`))));
    });
  const data = path.join(dir, "data");
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const options = `-p ${PG_PORT} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=100`;
  const start = () => runAsync("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "start"]);
  const stop = () => runAsync("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
  return {
    adminUrl: `postgresql://postgres@127.0.0.1:${PG_PORT}/postgres`,
    start,
    stop,
    remove: async () => {
      if (existsSync(path.join(data, "postmaster.pid"))) await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Outcome = { status: number | "network"; code?: string; retryAfter?: string; at: number };

async function main() {
  ensureBuilt();
  const cluster = privateCluster();
  await cluster.start();
  process.env.TEST_DATABASE_ADMIN_URL = cluster.adminUrl;
  const { createTestDatabase } = await import("../../tests/support/test-database");
  let server: NextServer | null = null;
  try {
    const databaseUrl = await createTestDatabase("pairwise_faults");
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const filled = await fillBatch(client, { prefix: "faults", comparisons: 4_000, overlap: 2, full: 0, annotators: CLIENTS });
    await client.end();
    process.env.DATABASE_URL = databaseUrl;
    process.env.NEXTAUTH_SECRET ??= "bench-secret-0123456789abcdef";
    const { createApiToken } = await import("../../server/auth/api-tokens");
    const { disconnectDb } = await import("../../server/db");
    const { closePgPool } = await import("../../server/pg-pool");
    const tokens: string[] = [];
    for (const userId of filled.annotatorIds) {
      tokens.push((await createApiToken({ id: userId, email: "", name: "", role: "annotator", vendorId: null }, { userId, name: "faults" })).token);
    }
    await disconnectDb();
    await closePgPool();
    const machine = await describeMachine(databaseUrl);
    server = await startNextServer({ port: APP_PORT, databaseUrl });
    const base = server.url;

    // Every answer, by phase; every key's 2xx answers (all must name the same judgement).
    const outcomes: Outcome[] = [];
    const acknowledged = new Map<string, Set<string>>();
    let retriedKeys = 0;
    let phase: "normal" | "killed" | "stopping" | "database down" | "starting" | "recovered" = "normal";
    const byPhase: Record<string, Outcome[]> = {};
    // An answer counts in the phase its request was sent in: one sent before Postgres stopped may still succeed.
    const note = (sentIn: typeof phase, outcome: Outcome) => {
      outcomes.push(outcome);
      (byPhase[sentIn] ??= []).push(outcome);
    };
    const call = async (url: string, token: string, body: unknown): Promise<{ status: number; body: unknown } | null> => {
      const sentIn = phase;
      try {
        const answer = await request("POST", url, { token, body, timeoutMs: 15_000 });
        const error = (answer.body as { error?: { code?: string } })?.error;
        note(sentIn, { status: answer.status, code: error?.code, retryAfter: answer.headers["retry-after"] as string | undefined, at: Date.now() });
        if (answer.status === 503) {
          await sleep(Number(answer.headers["retry-after"] ?? 1) * 1000);
          return null;
        }
        return answer;
      } catch {
        note(sentIn, { status: "network", at: Date.now() });
        await sleep(500);
        return null;
      }
    };

    const load = runClients(CLIENTS, SECONDS, async (i, deadline) => {
      const token = tokens[i];
      while (performance.now() < deadline) {
        const claim = await call(`${base}/api/v1/tasks/claim`, token, { batchId: filled.batchId });
        if (!claim || claim.status !== 200) {
          if (claim?.status === 204) await sleep(500);
          continue;
        }
        const { assignmentId } = claim.body as { assignmentId: string };
        await sleep(50 + Math.random() * 100);
        const body = { assignmentId, chosen: "left", degree: "better", idempotencyKey: randomUUID(), timeSpentMs: 100 };
        // The same key until an answer that is not "try again"; then once more, to check a retry gets the original.
        for (let attempt = 0; performance.now() < deadline + 60_000; attempt++) {
          const submit = await call(`${base}/api/v1/judgements`, token, body);
          if (!submit) continue;
          if (submit.status === 200) {
            const ids = acknowledged.get(body.idempotencyKey) ?? new Set<string>();
            ids.add((submit.body as { id: string }).id);
            acknowledged.set(body.idempotencyKey, ids);
            if (attempt > 0 || Math.random() < 0.1) {
              retriedKeys++;
              const again = await call(`${base}/api/v1/judgements`, token, body);
              if (again?.status === 200) ids.add((again.body as { id: string }).id);
            }
          }
          break;
        }
      }
    });

    await sleep(8_000);
    console.error("SIGKILL of the server");
    phase = "killed";
    server.process.kill("SIGKILL");
    await sleep(1_000);
    server = await startNextServer({ port: APP_PORT, databaseUrl });
    console.error("server restarted");
    phase = "normal";
    await sleep(8_000);
    console.error("stopping Postgres");
    phase = "stopping";
    await cluster.stop();
    phase = "database down";
    await sleep(8_000);
    phase = "starting";
    await cluster.start();
    console.error("Postgres started again");
    phase = "recovered";
    await load;

    const check = new pg.Client({ connectionString: databaseUrl });
    await check.connect();
    const keys = [...acknowledged.keys()];
    const stored = await check.query<{ key: string; n: number; ids: string[] }>(
      `SELECT "idempotencyKey" AS key, count(*)::int AS n, array_agg(id) AS ids FROM "Judgement" WHERE "idempotencyKey" = ANY($1::text[]) GROUP BY 1`,
      [keys],
    );
    const storedByKey = new Map(stored.rows.map((r) => [r.key, r]));
    let notStoredOnce = 0;
    let retryGotAnother = 0;
    for (const [key, ids] of acknowledged) {
      const row = storedByKey.get(key);
      if (!row || row.n !== 1) notStoredOnce++;
      if (ids.size !== 1 || (row && !ids.has(row.ids[0]))) retryGotAnother++;
    }
    const aboveK = await check.query(`SELECT count(*)::int AS n FROM (SELECT j."comparisonId" FROM "Judgement" j GROUP BY 1 HAVING count(*) > 2) x`);
    await check.end();
    const down = byPhase["database down"] ?? [];
    const downAnswers = down.filter((o) => o.status !== "network");
    const unavailable = downAnswers.filter((o) => o.status === 503 && o.code === "unavailable" && Number(o.retryAfter) > 0).length;
    const serverErrors = outcomes.filter((o) => o.status === 500).length;
    const recovered = (byPhase.recovered ?? []).filter((o) => o.status === 200).length;
    const tally = (list: Outcome[]) =>
      list.reduce<Record<string, number>>((acc, o) => ({ ...acc, [String(o.status)]: (acc[String(o.status)] ?? 0) + 1 }), {});
    const figures = {
      clients: CLIENTS,
      seconds: SECONDS,
      answers: Object.fromEntries(Object.entries(byPhase).map(([name, list]) => [name, tally(list)])),
      acknowledgedJudgements: acknowledged.size,
      keysRetriedAfterAcknowledgement: retriedKeys,
      acknowledgedNotStoredExactlyOnce: notStoredOnce,
      retriesThatGotAnotherJudgement: retryGotAnother,
      comparisonsAboveK: aboveK.rows[0].n,
      answersWhileDatabaseDown: downAnswers.length,
      unavailableWithRetryAfterWhileDown: unavailable,
      serverErrors,
      okAnswersAfterRecovery: recovered,
    };
    console.log(JSON.stringify(figures, null, 2));
    const goals: Goal[] = [
      { name: "acknowledged judgements not stored exactly once", value: notStoredOnce, limit: 0, kind: "max" },
      { name: "retries that got another judgement", value: retryGotAnother, limit: 0, kind: "max" },
      { name: "comparisons above k", value: aboveK.rows[0].n, limit: 0, kind: "max" },
      {
        name: "answers while Postgres was down that were not 503 unavailable with Retry-After",
        value: downAnswers.length - unavailable,
        limit: 0,
        kind: "max",
      },
      { name: "answers while Postgres was down (the check ran)", value: downAnswers.length, limit: 1, kind: "min" },
      { name: "500 answers", value: serverErrors, limit: 0, kind: "max" },
      { name: "200 answers after Postgres came back, same server process", value: recovered, limit: 1, kind: "min" },
    ];
    process.exitCode = finishBench(path.join(ROOT, "bench", "faults"), machine, figures, goals);
  } finally {
    await server?.stop();
    await cluster.remove();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

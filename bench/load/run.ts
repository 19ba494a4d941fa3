// npm run bench:load — 200 simulated annotators through API v1 against `next start` and the local Postgres, on a
// 100,000-comparison batch with overlap 2 (issue 8, point 3). Phases, all in one run:
//   floor     the same clients against a bare HTTP server doing one parameterised INSERT with pg (the ceiling);
//   liveness  the same clients against GET /api/health of Pairwise (a route that touches no database);
//   stress    claim then submit, no think time, 60 s;
//   paced     claim, 2 s of thinking (jittered), submit, 60 s;
//   replicas  stress split over two `next start` processes on the same database, 30 s.
// Then every rule is checked: no comparison above k, nobody twice on a comparison, every acknowledged judgement
// stored once. Goals: stress judgements/s ≥ 0.05 × the floor's requests/s; paced claim and submit p99 ≤ 100 ms.
// Exits 1 on a miss. BENCH_SECONDS, BENCH_CLIENTS, BENCH_COMPARISONS change the sizes; BENCH_KEEP=1 keeps the database.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { createTestDatabase, dropTestDatabase, uniqueDatabaseName } from "../../tests/support/test-database";
import { fillBatch } from "../../tests/support/fill-batch";
import { describeMachine, finishBench, latencySummary, type Goal } from "../support/report";
import { request, runClients, sleep } from "../support/http-client";
import { ROOT, ensureBuilt, startNextServer } from "../support/next-server";
import { commandCpuSeconds, postgresBackendCpuSeconds, processTreeCpuSeconds } from "../support/cpu";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const COMPARISONS = Number(process.env.BENCH_COMPARISONS ?? 100_000);
const THINK_MS = 2000;
const DEGREES = ["significantly_better", "better", "slightly_better", "negligibly_better_or_unsure"] as const;

type Acknowledged = { assignmentId: string; judgementId: string };

type PhaseResult = {
  seconds: number;
  /**
   * CPU milliseconds per judgement: the app's processes; the Postgres backends serving the bench's database; every
   * postgres process of the machine (WAL writer, checkpointer, autovacuum, and other databases' sessions too).
   */
  cpuMsPerJudgement?: { app: number; backends: number; postgres: number };
  judgements: number;
  judgementsPerSecond: number;
  claim: ReturnType<typeof latencySummary>;
  submit: ReturnType<typeof latencySummary>;
  errors: Record<string, number>;
  emptyClaims: number;
};

/** annotate(), with the CPU the app's processes and Postgres spent per judgement. */
async function annotateMeasured(database: string, appPids: number[], ...args: Parameters<typeof annotate>): Promise<PhaseResult> {
  const app0 = processTreeCpuSeconds(appPids);
  const backends0 = postgresBackendCpuSeconds(database);
  const pg0 = commandCpuSeconds("postgres");
  const result = await annotate(...args);
  const perJudgement = (seconds: number) => Math.round((seconds / Math.max(1, result.judgements)) * 1e5) / 100;
  return {
    ...result,
    cpuMsPerJudgement: {
      app: perJudgement(processTreeCpuSeconds(appPids) - app0),
      backends: perJudgement(postgresBackendCpuSeconds(database) - backends0),
      postgres: perJudgement(commandCpuSeconds("postgres") - pg0),
    },
  };
}

/** Claim, (think), submit, as fast as the server lets each annotator; every acknowledged judgement is kept. */
async function annotate(
  urls: string[],
  tokens: string[],
  batchId: string,
  seconds: number,
  thinkMs: number,
  acknowledged: Acknowledged[],
): Promise<PhaseResult> {
  const claims: number[] = [];
  const submits: number[] = [];
  const errors: Record<string, number> = {};
  let emptyClaims = 0;
  let judgements = 0;
  const started = performance.now();
  const count = (what: string) => (errors[what] = (errors[what] ?? 0) + 1);
  await runClients(tokens.length, seconds, async (i, deadline) => {
    const base = urls[i % urls.length];
    const token = tokens[i];
    // Spread the first claims over a second, as people do not all press Enter at once.
    await sleep(Math.random() * 1000);
    while (performance.now() < deadline) {
      let claim;
      try {
        claim = await request("POST", `${base}/api/v1/tasks/claim`, { token, body: { batchId } });
      } catch (error) {
        count(`claim: ${(error as Error).message}`);
        await sleep(200);
        continue;
      }
      claims.push(claim.ms);
      if (claim.status === 204) {
        emptyClaims++;
        await sleep(500);
        continue;
      }
      if (claim.status !== 200) {
        count(`claim ${claim.status}`);
        await sleep(200);
        continue;
      }
      const task = claim.body as { assignmentId: string };
      if (thinkMs > 0) await sleep(thinkMs * (0.5 + Math.random()));
      const body = {
        assignmentId: task.assignmentId,
        chosen: Math.random() < 0.5 ? "left" : "right",
        degree: DEGREES[Math.floor(Math.random() * 4)],
        idempotencyKey: randomUUID(),
        timeSpentMs: thinkMs || 1000,
      };
      for (let attempt = 1; attempt <= 5; attempt++) {
        try {
          const submit = await request("POST", `${base}/api/v1/judgements`, { token, body });
          submits.push(submit.ms);
          if (submit.status === 200) {
            judgements++;
            acknowledged.push({ assignmentId: task.assignmentId, judgementId: (submit.body as { id: string }).id });
          } else count(`submit ${submit.status}`);
          break;
        } catch (error) {
          count(`submit: ${(error as Error).message}`);
          await sleep(200 * attempt);
        }
      }
    }
  });
  const elapsed = (performance.now() - started) / 1000;
  return {
    seconds: Math.round(elapsed * 10) / 10,
    judgements,
    judgementsPerSecond: Math.round((judgements / elapsed) * 10) / 10,
    claim: latencySummary(claims),
    submit: latencySummary(submits),
    errors,
    emptyClaims,
  };
}

/** Requests per second that `clients` loops reach against one URL, with latencies. */
async function hammer(url: string, method: string, clients: number, seconds: number, body?: unknown) {
  const times: number[] = [];
  let failures = 0;
  const started = performance.now();
  await runClients(clients, seconds, async (_i, deadline) => {
    while (performance.now() < deadline) {
      try {
        const answer = await request(method, url, { body, token: "floor" });
        if (answer.status === 200) times.push(answer.ms);
        else failures++;
      } catch {
        failures++;
      }
    }
  });
  const elapsed = (performance.now() - started) / 1000;
  return { requestsPerSecond: Math.round(times.length / elapsed), failures, latency: latencySummary(times) };
}

async function startFloor(databaseUrl: string, port: number) {
  const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["bench/load/floor-server.ts", String(port)], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`floor server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/`, stop: () => void child.kill("SIGTERM") };
}

/** Every rule of the queue, read back from the database after the load. */
async function checkRules(databaseUrl: string, batchId: string, acknowledged: Acknowledged[]) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const q = async (sql: string, values: unknown[] = []) => (await client.query(sql, values)).rows[0];
    const overFull = await q(
      `SELECT count(*)::int AS n FROM (
         SELECT c.id FROM "Comparison" c JOIN "Batch" b ON b.id = c."batchId" JOIN "Assignment" a ON a."comparisonId" = c.id
          WHERE c."batchId" = $1 AND a.status IN ('leased', 'submitted') GROUP BY c.id, b.overlap HAVING count(*) > b.overlap) x`,
      [batchId],
    );
    const overJudged = await q(
      `SELECT count(*)::int AS n FROM (SELECT j."comparisonId" FROM "Judgement" j JOIN "Comparison" c ON c.id = j."comparisonId"
         JOIN "Batch" b ON b.id = c."batchId" WHERE c."batchId" = $1 GROUP BY j."comparisonId", b.overlap HAVING count(*) > b.overlap) x`,
      [batchId],
    );
    const twice = await q(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM "Judgement" j JOIN "Comparison" c ON c.id = j."comparisonId"
         WHERE c."batchId" = $1 GROUP BY j."comparisonId", j."annotatorId" HAVING count(*) > 1) x`,
      [batchId],
    );
    const slotDrift = await q(
      `SELECT count(*)::int AS n FROM "Comparison" c JOIN "Batch" b ON b.id = c."batchId"
        WHERE c."batchId" = $1 AND c."openSlots" <> b.overlap - (SELECT count(*) FROM "Assignment" a WHERE a."comparisonId" = c.id AND a.status IN ('leased', 'submitted'))`,
      [batchId],
    );
    const stored = await q(`SELECT count(*)::int AS n FROM "Judgement" WHERE id = ANY($1::text[])`, [acknowledged.map((a) => a.judgementId)]);
    const distinctAcknowledged = new Set(acknowledged.map((a) => a.judgementId)).size;
    return {
      comparisonsAboveK: overFull.n + overJudged.n,
      annotatorTwiceOnAComparison: twice.n,
      openSlotCountersWrong: slotDrift.n,
      acknowledged: acknowledged.length,
      acknowledgedStored: stored.n,
      acknowledgedDistinct: distinctAcknowledged,
    };
  } finally {
    await client.end();
  }
}

async function main() {
  ensureBuilt();
  const name = uniqueDatabaseName("pairwise_load");
  console.error(`database ${name}: migrating and filling ${COMPARISONS.toLocaleString("en")} comparisons`);
  const databaseUrl = await createTestDatabase(name);
  const servers: { stop: () => Promise<void> | void }[] = [];
  try {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const filled = await fillBatch(client, { prefix: "load", comparisons: COMPARISONS, overlap: 2, full: 0, annotators: CLIENTS });
    await client.end();
    process.env.DATABASE_URL = databaseUrl;
    process.env.NEXTAUTH_SECRET ??= "bench-secret-0123456789abcdef";
    const { createApiToken } = await import("../../server/auth/api-tokens");
    const { disconnectDb } = await import("../../server/db");
    const tokens: string[] = [];
    for (const userId of filled.annotatorIds) {
      tokens.push((await createApiToken({ id: userId, email: "", name: "", role: "annotator", vendorId: null }, { userId, name: "load" })).token);
    }
    await disconnectDb();
    const machine = await describeMachine(databaseUrl);

    const floor = await startFloor(databaseUrl, 3301);
    servers.push(floor);
    console.error("floor: bare HTTP + one INSERT");
    const floorResult = await hammer(floor.url, "POST", CLIENTS, Math.min(SECONDS, 20), { chosen: "left", degree: "better" });
    floor.stop();

    const app = await startNextServer({ port: 3302, databaseUrl });
    servers.push(app);
    console.error("liveness: GET /api/health");
    const liveness = await hammer(`${app.url}/api/health`, "GET", CLIENTS, Math.min(SECONDS, 20));

    const acknowledged: Acknowledged[] = [];
    console.error(`stress: ${CLIENTS} annotators, no think time, ${SECONDS} s`);
    const appPids = [app.process.pid!];
    const stress = await annotateMeasured(name, appPids, [app.url], tokens, filled.batchId, SECONDS, 0, acknowledged);
    console.error(`paced: ${CLIENTS} annotators, ${THINK_MS / 1000} s think time, ${SECONDS} s`);
    const paced = await annotateMeasured(name, appPids, [app.url], tokens, filled.batchId, SECONDS, THINK_MS, acknowledged);

    const second = await startNextServer({ port: 3303, databaseUrl });
    servers.push(second);
    const replicaSeconds = Math.max(10, Math.round(SECONDS / 2));
    console.error(`replicas: ${CLIENTS} annotators over two servers, no think time, ${replicaSeconds} s`);
    const replicas = await annotateMeasured(
      name,
      [app.process.pid!, second.process.pid!],
      [app.url, second.url],
      tokens,
      filled.batchId,
      replicaSeconds,
      0,
      acknowledged,
    );
    const rules = await checkRules(databaseUrl, filled.batchId, acknowledged);

    const ratio = Math.round((stress.judgementsPerSecond / floorResult.requestsPerSecond) * 1000) / 1000;
    const figures = { clients: CLIENTS, comparisons: COMPARISONS, overlap: 2, floor: floorResult, liveness, stress, paced, replicas, rules, ratio };
    console.log(JSON.stringify(figures, null, 2));
    const ruleGoals: Goal[] = [
      { name: "comparisons above k", value: rules.comparisonsAboveK, limit: 0, kind: "max" },
      { name: "annotators twice on a comparison", value: rules.annotatorTwiceOnAComparison, limit: 0, kind: "max" },
      { name: "open-slot counters that disagree with a recount", value: rules.openSlotCountersWrong, limit: 0, kind: "max" },
      { name: "acknowledged judgements not stored", value: rules.acknowledgedDistinct - rules.acknowledgedStored, limit: 0, kind: "max" },
    ];
    const code = finishBench(path.join(ROOT, "bench", "load"), machine, figures, [
      { name: "stress judgements/s ÷ floor requests/s", value: ratio, limit: 0.05, kind: "min" },
      { name: "paced claim p99 (ms)", value: paced.claim.p99, limit: 100, kind: "max" },
      { name: "paced submit p99 (ms)", value: paced.submit.p99, limit: 100, kind: "max" },
      ...ruleGoals,
    ]);
    process.exitCode = code;
  } finally {
    for (const server of servers.reverse()) await server.stop();
    if (process.env.BENCH_KEEP !== "1") await dropTestDatabase(name);
    else console.error(`kept database ${name}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

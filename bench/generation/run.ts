// npm run bench:generation — generation throughput against what the variants' call slots allow, measured in the
// same run. Goal (issue 14): against a local OpenAI-compatible test endpoint answering in 300–800 ms, with 5% of
// the calls stalling after their headers and 5% answered 429, a generation job completes prompts at ≥ 0.8× the
// rate its variants' call slots allow. That rate is measured first, on the same endpoint answering normally: every
// slot kept busy by plain back-to-back calls (fetch, no database, no retries), calls per second ÷ 2 calls per
// prompt. The job then runs as in production (startGeneration, the in-process worker, the production retry policy,
// the call-slot leases in Postgres), each variant with timeoutMs BENCH_TIMEOUT_MS. Exits 1 when the goal is missed.
// BENCH_PROMPTS (default 1000), BENCH_VARIANTS (3), BENCH_SLOTS (call slots per variant, 4), BENCH_TIMEOUT_MS
// (1500), BENCH_BASELINE_SECONDS (20); BENCH_KEEP=1 keeps the database.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTestDatabase, dropTestDatabase, uniqueDatabaseName } from "../../tests/support/test-database";
import { startFakeModelServer, type FakeModelServer } from "../../tests/support/fake-model-server";

const PROMPTS = Number(process.env.BENCH_PROMPTS ?? 1000);
const VARIANTS = Number(process.env.BENCH_VARIANTS ?? 3);
const SLOTS = Number(process.env.BENCH_SLOTS ?? 4);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 1500);
const BASELINE_SECONDS = Number(process.env.BENCH_BASELINE_SECONDS ?? 20);
const LATENCY_MS: [number, number] = [300, 800];
const STALL_RATE = 0.05;
const RATE_LIMIT_RATE = 0.05;
const GOAL = 0.8;
const root = path.resolve(__dirname, "..", "..");

/** Every call slot of every variant kept busy with back-to-back calls for `seconds`: completed calls per second. */
async function slotCeiling(server: FakeModelServer, seconds: number): Promise<{ calls: number; seconds: number; callsPerSecond: number }> {
  const until = Date.now() + seconds * 1000;
  const started = performance.now();
  let calls = 0;
  const loop = async (model: string, slot: number) => {
    for (let i = 0; Date.now() < until; i += 1) {
      const response = await fetch(`${server.url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model, messages: [{ role: "user", content: `Baseline prompt ${slot}.${i}` }], temperature: 0.7, seed: i }),
      });
      await response.json();
      if (response.ok) calls += 1;
    }
  };
  await Promise.all(Array.from({ length: VARIANTS * SLOTS }, (_, i) => loop(`bench-model-${i % VARIANTS}`, i)));
  const elapsed = (performance.now() - started) / 1000;
  return { calls, seconds: Number(elapsed.toFixed(2)), callsPerSecond: calls / elapsed };
}

async function main() {
  const name = uniqueDatabaseName("pairwise_bench_generation");
  console.error(`database ${name}: migrating`);
  const url = await createTestDatabase(name);
  Object.assign(process.env, { DATABASE_URL: url, NEXTAUTH_SECRET: "bench-secret-0123456789abcdef", NODE_ENV: "production" });
  // server/ reads its environment on first use: import it only now.
  const { db, disconnectDb } = await import("../../server/db");
  const { createUser } = await import("../../server/users/create-user");
  const { toActor } = await import("../../server/auth/actor");
  const { createBatch } = await import("../../server/batches/create-batch");
  const { importItems } = await import("../../server/imports/import-items");
  const { setBatchModelVariants } = await import("../../server/batches/set-batch-model-variants");
  const { createModelVariant } = await import("../../server/model-variants/create-model-variant");
  const { startGeneration } = await import("../../server/generation/start-generation");
  const { stopGenerationWorkers } = await import("../../server/generation/run-generation-job");
  const server = await startFakeModelServer({ latencyMs: LATENCY_MS });
  try {
    console.error(`baseline: ${VARIANTS} variants × ${SLOTS} slots of plain calls for ${BASELINE_SECONDS} s`);
    const ceiling = await slotCeiling(server, BASELINE_SECONDS);
    const allowed = ceiling.callsPerSecond / 2;

    await createUser(null, { email: "bench@bench.test", password: "bench-password-123", role: "admin" });
    const admin = toActor(await db.user.findUniqueOrThrow({ where: { email: "bench@bench.test" } }));
    const variantIds: string[] = [];
    for (let i = 0; i < VARIANTS; i += 1) {
      const variant = await createModelVariant(admin, {
        name: `bench-${i}`,
        baseUrl: server.url,
        modelId: `bench-model-${i}`,
        temperatureMin: 0.5,
        temperatureMax: 1.0,
        maxConcurrency: SLOTS,
        timeoutMs: TIMEOUT_MS,
      });
      variantIds.push(variant.id);
    }
    const { id: batchId } = await createBatch(admin, { name: "generation bench", focus: "helpfulness", overlap: 1, guidelines: "" });
    const lines = Array.from({ length: PROMPTS }, (_, i) =>
      JSON.stringify({ prompt: `Bench prompt ${i}: write two sentences about the number ${i}.` }),
    );
    const report = await importItems(
      admin,
      batchId,
      "prompts",
      (async function* () {
        yield new TextEncoder().encode(lines.join("\n"));
      })(),
    );
    if (report.imported !== PROMPTS) throw new Error(`import failed: ${JSON.stringify(report)}`);
    await setBatchModelVariants(admin, batchId, { modelVariantIds: variantIds });

    server.reset();
    server.configure({ latencyMs: LATENCY_MS, stallRate: STALL_RATE, rateLimitRate: RATE_LIMIT_RATE });
    console.error(`generation: ${PROMPTS} prompts, ${STALL_RATE * 100}% stalls, ${RATE_LIMIT_RATE * 100}% 429s, timeoutMs ${TIMEOUT_MS}`);
    const job = await startGeneration(admin, batchId);
    let finished = await db.generationJob.findUniqueOrThrow({ where: { id: job.id } });
    while (finished.status === "queued" || finished.status === "running") {
      await new Promise((r) => setTimeout(r, 200));
      finished = await db.generationJob.findUniqueOrThrow({ where: { id: job.id } });
    }
    const seconds = (finished.finishedAt!.getTime() - finished.startedAt!.getTime()) / 1000;
    const rate = finished.done / seconds;
    const requests = server.requests.filter((r) => r.path === "/v1/chat/completions");
    // How busy the slots were as the endpoint saw it: time with a request open, over slots × the job's time; and the
    // tail, from the last moment all slots were busy to the end.
    const jobStart = finished.startedAt!.getTime();
    const jobEnd = finished.finishedAt!.getTime();
    const busy = requests.reduce((sum, r) => sum + (Math.min(r.endedAt ?? jobEnd, jobEnd) - Math.max(r.startedAt, jobStart)), 0);
    const edges = requests.flatMap((r) => [[r.startedAt, 1] as const, [r.endedAt ?? jobEnd, -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let open = 0;
    let lastFull = jobStart;
    for (const [at, delta] of edges) {
      if (open === VARIANTS * SLOTS && delta < 0) lastFull = at;
      open += delta;
    }
    const attempts = await db.generationItem.aggregate({ where: { jobId: job.id }, _sum: { attempts: true } });
    const ratio = Number((rate / allowed).toFixed(3));
    const result = {
      endpoint: { latencyMs: LATENCY_MS, stallRate: STALL_RATE, rateLimitRate: RATE_LIMIT_RATE, timeoutMs: TIMEOUT_MS },
      variants: VARIANTS,
      slotsPerVariant: SLOTS,
      baseline: {
        calls: ceiling.calls,
        seconds: ceiling.seconds,
        callsPerSecond: Number(ceiling.callsPerSecond.toFixed(2)),
        promptsPerSecondAllowed: Number(allowed.toFixed(2)),
      },
      job: {
        status: finished.status,
        prompts: PROMPTS,
        done: finished.done,
        failed: finished.failed,
        seconds: Number(seconds.toFixed(2)),
        promptsPerSecond: Number(rate.toFixed(2)),
        httpAttempts: attempts._sum.attempts,
        answered: requests.filter((r) => r.answer === 200).length,
        stalled: requests.filter((r) => r.answer === "aborted").length,
        rateLimited: requests.filter((r) => r.answer === 429).length,
        maxInFlight: Object.fromEntries(server.maxInFlight),
        slotUtilization: Number((busy / (VARIANTS * SLOTS * (jobEnd - jobStart))).toFixed(3)),
        tailSeconds: Number(((jobEnd - lastFull) / 1000).toFixed(2)),
      },
      ratio,
      goal: `promptsPerSecond ≥ ${GOAL} × promptsPerSecondAllowed`,
      met: ratio >= GOAL,
    };
    mkdirSync(path.join(root, "bench", "out"), { recursive: true });
    writeFileSync(path.join(root, "bench", "out", "generation.json"), JSON.stringify(result, null, 2) + "\n");
    console.log(JSON.stringify(result, null, 2));
    if (!result.met) {
      console.error(`goal missed: ratio ${ratio} < ${GOAL}`);
      process.exitCode = 1;
    } else {
      console.error("goal met");
    }
    await stopGenerationWorkers();
  } finally {
    await server.close();
    await disconnectDb();
    if (process.env.BENCH_KEEP !== "1") await dropTestDatabase(name);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

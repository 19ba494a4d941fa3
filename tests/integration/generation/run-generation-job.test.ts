// The generation worker against endpoints in trouble and with several servers: items flow through a pool (a
// stalled endpoint never holds up the healthy items), stalls, resets and 429s are retried with the same draw and
// counted as HTTP attempts, any live server takes over a job within two heartbeats after its worker is killed, a
// quick restart resumes as soon as the old heartbeat is stale, and maxConcurrency holds across two servers. The
// servers here are real processes of their own (tests/support/generation-worker-process.ts) on this run's database.
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { startGeneration } from "@/server/generation/start-generation";
import { setLocalGenerationRuns } from "@/server/generation/run-generation-job";
import { SESSION_OPTIONS } from "@/server/pg-pool";
import type { PlannedSlot } from "@/lib/sampling-plan";
import type { RecordedRequest } from "../../support/fake-model-server";
import { startTcpProxy } from "../../support/tcp-proxy";
import { makeUser } from "../fixtures";
import {
  askWorkerProcess,
  makePromptsBatch,
  makeVariant,
  startWorkerProcess,
  withFakeModelServer,
  stopWorkerProcess,
  waitForDoneItems,
  waitForJob,
  type WorkerProcess,
} from "../generation-fixtures";

const HEARTBEAT_MS = 1000; // the worker processes' GENERATION_HEARTBEAT_MS: stale after 1.5 s, sweeps every 0.5 s

const server = withFakeModelServer();
let workers: WorkerProcess[] = [];
afterEach(async () => {
  for (const w of workers) w.child.kill("SIGCONT"); // a frozen one must run to hear SIGTERM
  await Promise.all(workers.map((w) => stopWorkerProcess(w)));
  workers = [];
  setLocalGenerationRuns(true);
});

function requestsFor(prompt: string): RecordedRequest[] {
  return server().requests.filter((r) => r.path === "/v1/chat/completions" && r.body.messages?.at(-1)?.content === prompt);
}

async function spawnWorkers(count: number, options: Parameters<typeof startWorkerProcess>[0]): Promise<WorkerProcess[]> {
  const started = await Promise.all(
    Array.from({ length: count }, () => startWorkerProcess({ heartbeatMs: HEARTBEAT_MS, retryBaseMs: 5, ...options })),
  );
  workers.push(...started);
  return started;
}

async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<{ value: T; at: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return { value, at: Date.now() };
    if (Date.now() > deadline) throw new Error(`${what}: still not after ${timeoutMs} ms (${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every request for an item's prompt carried its planned draw: the model, temperature and seed of its slot. */
function expectPlannedDraw(prompt: string, plan: PlannedSlot[], modelIds: Map<string, string>) {
  for (const request of requestsFor(prompt)) {
    const slot = plan.find((s) => modelIds.get(s.modelVariantId) === request.body.model);
    expect(slot, `request for ${prompt} to ${request.body.model}`).toBeDefined();
    expect(request.body).toMatchObject({ seed: slot!.seed, ...(slot!.temperature !== null ? { temperature: slot!.temperature } : {}) });
  }
}

describe("generation worker", () => {
  it("lets healthy items finish at their own pace while one endpoint stalls after its headers", async () => {
    const admin = await makeUser("admin");
    const stalled = await makeVariant(admin, server().url, { maxConcurrency: 12, timeoutMs: 2000 });
    const [b, c] = [await makeVariant(admin, server().url, { maxConcurrency: 2 }), await makeVariant(admin, server().url, { maxConcurrency: 2 })];
    const batchId = await makePromptsBatch(admin, 18, [stalled.id, b.id, c.id], "pool ");
    server().stall(Infinity, stalled.modelId!);
    server().delay(100, Infinity, b.modelId!);
    server().delay(100, Infinity, c.modelId!);
    const startedAt = Date.now();
    const job = await startGeneration(admin, batchId);
    const finished = await waitForJob(job.id, 40_000);

    const items = await db.generationItem.findMany({ where: { jobId: job.id }, include: { comparison: true } });
    const usesStalled = (item: (typeof items)[number]) => (item.plan as PlannedSlot[]).some((s) => s.modelVariantId === stalled.id);
    const healthy = items.filter((i) => !usesStalled(i));
    const hit = items.filter(usesStalled);
    expect(healthy.length).toBeGreaterThan(0);
    expect(hit.length).toBeGreaterThan(0);
    expect(finished).toMatchObject({ status: "done", done: healthy.length, failed: hit.length });

    // Each stalled request ended at the deadline (2 s), not at Node's 300 s body timeout, and was retried.
    const stalledRequests = server().requests.filter((r) => r.body.model === stalled.modelId);
    expect(stalledRequests).toHaveLength(4 * hit.length);
    for (const request of stalledRequests) {
      expect(request.answer).toBe("aborted");
      expect(request.endedAt! - request.startedAt).toBeGreaterThanOrEqual(1500); // the deadline starts before the request reaches the server
      expect(request.endedAt! - request.startedAt).toBeLessThan(4000);
    }
    // The healthy items were all stored before the first stalled call even timed out: nothing waited for it.
    const firstTimeout = Math.min(...stalledRequests.map((r) => r.endedAt!));
    for (const item of healthy) {
      expect(item.status).toBe("done");
      expect(item.updatedAt.getTime() - startedAt, `healthy item ${item.id}`).toBeLessThan(firstTimeout - startedAt);
      expect(item.attempts).toBe(2);
    }
    expect(firstTimeout - startedAt).toBeGreaterThanOrEqual(1500);

    const modelIds = new Map([stalled, b, c].map((v) => [v.id, v.modelId!]));
    for (const item of hit) {
      expect(item.status).toBe("failed");
      expect(item.error).toMatch(new RegExp(`^${stalled.name} v1: timeout: .*no complete answer within 2000 ms.*gave up after 4 attempts`));
      expect(item.attempts).toBe(5); // four to the stalled endpoint, one to the healthy one
      expectPlannedDraw(item.comparison.prompt, item.plan as PlannedSlot[], modelIds);
    }
  });

  it("keeps feeding the healthy variants while a stalled endpoint's items fill the pool", async () => {
    const admin = await makeUser("admin");
    // One slot on the stalled variant: most items wait for it, more than the pool's share of the batch's slots.
    const stalled = await makeVariant(admin, server().url, { maxConcurrency: 1, timeoutMs: 2500 });
    const [b, c] = [await makeVariant(admin, server().url, { maxConcurrency: 2 }), await makeVariant(admin, server().url, { maxConcurrency: 2 })];
    const batchId = await makePromptsBatch(admin, 20, [stalled.id, b.id, c.id], "crowded ");
    server().stall(2, stalled.modelId!); // its first call stalls, and the retry of it; then it answers
    server().delay(50, Infinity, b.modelId!);
    server().delay(50, Infinity, c.modelId!);
    const startedAt = Date.now();
    const job = await startGeneration(admin, batchId);
    expect(await waitForJob(job.id, 40_000)).toMatchObject({ status: "done", done: 20, failed: 0 });
    const items = await db.generationItem.findMany({ where: { jobId: job.id } });
    const healthy = items.filter((i) => !(i.plan as PlannedSlot[]).some((s) => s.modelVariantId === stalled.id));
    expect(healthy.length).toBeGreaterThan(0);
    const firstTimeout = Math.min(
      ...server()
        .requests.filter((r) => r.answer === "aborted")
        .map((r) => r.endedAt!),
    );
    expect(firstTimeout - startedAt).toBeGreaterThanOrEqual(2000);
    for (const item of healthy) expect(item.updatedAt.getTime() - startedAt, `healthy item ${item.id}`).toBeLessThan(firstTimeout - startedAt);
    expect(server().maxInFlight.get(stalled.modelId!)).toBe(1);
  });

  it("retries a 429, a stall and a reset after the headers with the same draw, and counts every HTTP attempt", async () => {
    const admin = await makeUser("admin");
    const [a, b] = [await makeVariant(admin, server().url, { timeoutMs: 500 }), await makeVariant(admin, server().url, { timeoutMs: 500 })];
    const batchId = await makePromptsBatch(admin, 1, [a.id, b.id], "troubled ");
    server().fail(429, 1, a.modelId!);
    server().stall(1, a.modelId!);
    server().resetAfterHeaders(1, b.modelId!);
    const job = await startGeneration(admin, batchId);
    expect(await waitForJob(job.id)).toMatchObject({ status: "done", done: 1, failed: 0 });
    const item = await db.generationItem.findFirstOrThrow({ where: { jobId: job.id }, include: { comparison: { include: { responses: true } } } });
    expect(item.attempts).toBe(5);
    const byModel = (model: string) =>
      requestsFor(item.comparison.prompt)
        .filter((r) => r.body.model === model)
        .map((r) => r.answer);
    expect(byModel(a.modelId!)).toEqual([429, "aborted", 200]);
    expect(byModel(b.modelId!)).toEqual(["reset", 200]);
    expectPlannedDraw(item.comparison.prompt, item.plan as PlannedSlot[], new Map([a, b].map((v) => [v.id, v.modelId!])));
    const plan = item.plan as PlannedSlot[];
    expect(item.comparison.responses.map((r) => [r.modelVariantId, (r.sampling as { seed: number }).seed]).sort()).toEqual(
      plan.map((s) => [s.modelVariantId, s.seed]).sort(),
    );
  });

  it("is taken over by the other live server within two heartbeats when its worker is killed, every item sampled once", async () => {
    setLocalGenerationRuns(false); // this process only creates the job: the worker processes run it
    const admin = await makeUser("admin");
    const [a, b] = [
      await makeVariant(admin, server().url, { maxConcurrency: 2, timeoutMs: 2000 }),
      await makeVariant(admin, server().url, { maxConcurrency: 2, timeoutMs: 2000 }),
    ];
    const batchId = await makePromptsBatch(admin, 40, [a.id, b.id], "takeover ");
    server().delay(150, Infinity);
    const pair = await spawnWorkers(2, { sweep: true });
    const job = await startGeneration(admin, batchId);
    await waitForDoneItems(job.id, 6, 30_000);

    const { workerId: owner } = await db.generationJob.findUniqueOrThrow({ where: { id: job.id } });
    const victim = pair.find((w) => w.workerId === owner)!;
    const survivor = pair.find((w) => w.workerId !== owner)!;
    expect(victim).toBeDefined();
    victim.child.kill("SIGKILL");
    const killedAt = Date.now();
    await victim.exited;
    const doneAtKill = await db.generationItem.findMany({ where: { jobId: job.id, status: "done" }, include: { comparison: true } });
    expect(doneAtKill.length).toBeLessThan(40);

    // No restart, no new request: the other server's sweep finds the silent job and takes it.
    const takeover = await pollUntil(
      () => db.generationJob.findUniqueOrThrow({ where: { id: job.id } }).then((j) => j.workerId),
      (workerId) => workerId === survivor.workerId,
      10_000,
      "takeover by the surviving server",
    );
    expect(takeover.at - killedAt).toBeLessThan(2 * HEARTBEAT_MS + 1500); // 2 beats, and slack for a loaded machine

    expect(await waitForJob(job.id, 60_000)).toMatchObject({ status: "done", total: 40, done: 40, failed: 0 });
    const comparisons = await db.comparison.findMany({ where: { batchId }, include: { responses: true } });
    expect(comparisons.map((c) => c.responses.length)).toEqual(Array(40).fill(2));

    const items = await db.generationItem.findMany({ where: { jobId: job.id }, include: { comparison: true } });
    const modelIds = new Map([a, b].map((v) => [v.id, v.modelId!]));
    for (const item of items) {
      expectPlannedDraw(item.comparison.prompt, item.plan as PlannedSlot[], modelIds);
      for (const model of [a.modelId!, b.modelId!]) {
        const answered = requestsFor(item.comparison.prompt).filter((r) => r.body.model === model && r.answer === 200);
        // Sampled once per slot; a call in flight at the kill may have been sent once more, after it.
        expect(answered.length).toBeGreaterThanOrEqual(1);
        expect(answered.length).toBeLessThanOrEqual(2);
        if (answered.length === 2) expect(answered[0].startedAt).toBeLessThanOrEqual(killedAt);
      }
    }
    // What was stored before the kill was never asked for again.
    for (const item of doneAtKill) {
      expect(requestsFor(item.comparison.prompt).filter((r) => r.startedAt > killedAt)).toHaveLength(0);
      expect(requestsFor(item.comparison.prompt)).toHaveLength(2);
    }
  }, 90_000);

  it("resumes after a quick restart as soon as the old heartbeat is stale", async () => {
    setLocalGenerationRuns(false);
    const admin = await makeUser("admin");
    const [a, b] = [
      await makeVariant(admin, server().url, { maxConcurrency: 2, timeoutMs: 2000 }),
      await makeVariant(admin, server().url, { maxConcurrency: 2, timeoutMs: 2000 }),
    ];
    const batchId = await makePromptsBatch(admin, 30, [a.id, b.id], "restart ");
    server().delay(150, Infinity);
    const [first] = await spawnWorkers(1, { sweep: true });
    const job = await startGeneration(admin, batchId);
    await waitForDoneItems(job.id, 4, 30_000);
    first.child.kill("SIGKILL");
    await first.exited;
    const { heartbeatAt: lastBeat } = await db.generationJob.findUniqueOrThrow({ where: { id: job.id } });

    const [restarted] = await spawnWorkers(1, { sweep: true });
    const takeover = await pollUntil(
      () => db.generationJob.findUniqueOrThrow({ where: { id: job.id } }).then((j) => j.workerId),
      (workerId) => workerId === restarted.workerId,
      10_000,
      "takeover by the restarted server",
    );
    const staleAt = lastBeat!.getTime() + 1.5 * HEARTBEAT_MS;
    expect(takeover.at).toBeGreaterThanOrEqual(staleAt - 100); // never while the old heartbeat was fresh
    expect(takeover.at - Math.max(restarted.readyAt, staleAt)).toBeLessThan(HEARTBEAT_MS / 2 + 1000);
    expect(await waitForJob(job.id, 60_000)).toMatchObject({ status: "done", done: 30, failed: 0 });
  }, 90_000);

  it("holds maxConcurrency per variant across two servers", async () => {
    setLocalGenerationRuns(false);
    const admin = await makeUser("admin");
    const narrow = await makeVariant(admin, server().url, { maxConcurrency: 3 });
    const [b, c] = [await makeVariant(admin, server().url, { maxConcurrency: 6 }), await makeVariant(admin, server().url, { maxConcurrency: 6 })];
    const batches = [
      await makePromptsBatch(admin, 60, [narrow.id, b.id, c.id], "replica one "),
      await makePromptsBatch(admin, 60, [narrow.id, b.id, c.id], "replica two "),
    ];
    server().delay(200, Infinity);
    const jobs = [await startGeneration(admin, batches[0]), await startGeneration(admin, batches[1])];
    // One server per job, each running its own: two processes calling the narrow variant at the same time.
    await Promise.all(jobs.map((job) => spawnWorkers(1, { run: [job.id] })));
    for (const job of jobs) expect(await waitForJob(job.id, 60_000)).toMatchObject({ status: "done", done: 60, failed: 0 });

    const narrowCalls = (tag: string) =>
      server().requests.filter((r) => r.body.model === narrow.modelId && r.body.messages?.at(-1)?.content.startsWith(tag));
    const [one, two] = [narrowCalls("replica one "), narrowCalls("replica two ")];
    const overlapping = one.filter((r) => two.some((s) => s.startedAt < r.endedAt! && r.startedAt < s.endedAt!));
    expect(overlapping.length).toBeGreaterThanOrEqual(5); // both servers really called it side by side
    expect(server().maxInFlight.get(narrow.modelId!)).toBe(3);
    expect(server().maxInFlight.get(b.modelId!)).toBeLessThanOrEqual(6);
    expect(server().maxInFlight.get(b.modelId!)).toBeGreaterThan(3);
  }, 90_000);

  describe("two independent servers on one job (issue 13: races as races)", () => {
    /** Every request the fake server got for one of the batch's prompts. */
    async function requestsOfBatch(batchId: string): Promise<RecordedRequest[]> {
      const prompts = new Set((await db.comparison.findMany({ where: { batchId }, select: { prompt: true } })).map((c) => c.prompt));
      return server().requests.filter((r) => r.path === "/v1/chat/completions" && prompts.has(r.body.messages?.at(-1)?.content ?? ""));
    }

    /**
     * Each comparison holds exactly its two responses, and the items' attempts count every request sent for them
     * (`abandoned`: up to that many more, attempts a worker that lost its job gave up on as they started).
     */
    async function expectStoredOnceAndCounted(jobId: string, batchId: string, abandoned = 0) {
      const comparisons = await db.comparison.findMany({ where: { batchId }, select: { _count: { select: { responses: true } } } });
      expect(comparisons.map((c) => c._count.responses)).toEqual(Array(comparisons.length).fill(2));
      const { _sum } = await db.generationItem.aggregate({ where: { jobId }, _sum: { attempts: true } });
      const requests = (await requestsOfBatch(batchId)).length;
      expect(_sum.attempts).toBeGreaterThanOrEqual(requests);
      expect(_sum.attempts).toBeLessThanOrEqual(requests + abandoned);
      if (abandoned > 0) console.info(`attempts counted ${_sum.attempts}, requests received ${requests}`);
    }

    it("racing for the same jobs at the same moment: each job runs under one of them, every item sampled once and counted", async () => {
      setLocalGenerationRuns(false); // this process only creates the jobs
      const admin = await makeUser("admin");
      const [a, b] = [await makeVariant(admin, server().url, { maxConcurrency: 4 }), await makeVariant(admin, server().url, { maxConcurrency: 4 })];
      server().delay(20, Infinity);
      const pair = await spawnWorkers(2, {}); // no sweep timer: they sweep when told to
      const jobs: { id: string; batchId: string }[] = [];
      for (let n = 0; n < 8; n++) {
        const batchId = await makePromptsBatch(admin, 3, [a.id, b.id], `race ${n} `);
        jobs.push({ id: (await startGeneration(admin, batchId)).id, batchId });
      }
      const ids = jobs.map((j) => j.id);
      // A gate: this connection holds the jobs' rows while both servers sweep, so that each server's take of each job
      // (one UPDATE per job, on a connection of its own) waits at the same row as the other's.
      const gate = new pg.Client({ connectionString: process.env.DATABASE_URL, options: SESSION_OPTIONS });
      await gate.connect();
      try {
        await gate.query("BEGIN");
        await gate.query(`SELECT id FROM "GenerationJob" WHERE id = ANY($1) FOR UPDATE`, [ids]);
        for (const worker of pair) expect(new Set(await askWorkerProcess(worker, "SIGUSR1"))).toEqual(new Set(ids));
        // The interleaving: 16 takes waiting at once, two per job row (the only other sessions are this process's).
        await pollUntil(
          async () => {
            const [row] = await db.$queryRaw<{ n: bigint }[]>`
              SELECT count(*) AS n FROM pg_stat_activity
               WHERE datname = current_database() AND wait_event_type = 'Lock' AND ltrim(query, E' \n') LIKE 'UPDATE "GenerationJob"%'`;
            return Number(row.n);
          },
          (waiting) => waiting === 2 * jobs.length,
          15_000,
          "both servers waiting to take every job",
        );
        await gate.query("COMMIT");
      } finally {
        await gate.end();
      }
      for (const job of jobs) expect((await waitForJob(job.id, 60_000)).status).toBe("done");

      const owners = new Map<string, number>();
      for (const job of jobs) {
        const { workerId, done, failed } = await db.generationJob.findUniqueOrThrow({ where: { id: job.id } });
        expect({ done, failed }).toEqual({ done: 3, failed: 0 });
        expect(pair.map((w) => w.workerId)).toContain(workerId);
        owners.set(workerId!, (owners.get(workerId!) ?? 0) + 1);
        // Sampled once: one request per slot, none sent by the server that lost the race.
        const requests = await requestsOfBatch(job.batchId);
        expect(requests.map((r) => r.answer)).toEqual(Array(6).fill(200));
        expect(new Set(requests.map((r) => `${r.body.messages?.at(-1)?.content} ${r.body.model}`)).size).toBe(6);
        await expectStoredOnceAndCounted(job.id, job.batchId);
      }
      for (const worker of pair) expect(worker.stderr()).not.toContain("no longer runs under this worker"); // no job changed hands
      console.info(`two servers taking 8 jobs at once: won ${pair.map((w) => owners.get(w.workerId) ?? 0).join(" and ")}`);
    }, 120_000);

    it("a busy owner far from its database keeps its job: its own settles never starve its heartbeat, so a sweeping peer never takes it over", async () => {
      setLocalGenerationRuns(false);
      const admin = await makeUser("admin");
      // Many items settling at once (a fixed latency answers them in bursts), every database answer 25 ms away: each
      // settling transaction takes a quarter of a second. (Holding the job's row through all of it, they queued for
      // seconds and the beat behind them; the heartbeat went stale and the peer took the job from a live owner.)
      const [a, b] = [await makeVariant(admin, server().url, { maxConcurrency: 16 }), await makeVariant(admin, server().url, { maxConcurrency: 16 })];
      const batchId = await makePromptsBatch(admin, 150, [a.id, b.id], "busy ");
      server().delay(100, Infinity);
      const database = new URL(process.env.DATABASE_URL!);
      const far = await startTcpProxy({ host: database.hostname, port: Number(database.port || 5432) }, 0, { latencyMs: 25 });
      try {
        database.port = String(far.port);
        const [owner] = await spawnWorkers(1, { sweep: true, databaseUrl: database.toString() });
        const job = await startGeneration(admin, batchId);
        await pollUntil(
          () => db.generationJob.findUniqueOrThrow({ where: { id: job.id } }),
          (j) => j.workerId === owner.workerId,
          15_000,
          "the far server taking the job",
        );
        const [peer] = await spawnWorkers(1, { sweep: true });
        const owners = new Set<string>();
        for (;;) {
          const state = await db.generationJob.findUniqueOrThrow({ where: { id: job.id } });
          if (state.workerId) owners.add(state.workerId);
          if (state.status === "done" || state.status === "failed") break;
          await new Promise((r) => setTimeout(r, 25));
        }
        expect(await db.generationJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "done", done: 150, failed: 0 });
        expect([...owners]).toEqual([owner.workerId]);
        for (const worker of [owner, peer]) expect(worker.stderr()).not.toContain("no longer runs under this worker");
        // Nothing was sent twice: a job that changed hands would have had calls in flight sent again.
        expect(await requestsOfBatch(batchId)).toHaveLength(300);
        await expectStoredOnceAndCounted(job.id, batchId);
      } finally {
        for (const w of workers) w.child.kill("SIGTERM"); // before the proxy goes: they stop on their own connections
        await Promise.all(workers.map((w) => w.exited));
        await far.close();
      }
    }, 120_000);

    it("a worker frozen past the stale limit is taken over; when it wakes it stops (still alive, no runner, says why) and stores nothing", async () => {
      setLocalGenerationRuns(false);
      const heartbeatMs = 2000; // stale after 3 s: a loaded machine does not make a live server look dead
      const admin = await makeUser("admin");
      const [a, b] = [
        await makeVariant(admin, server().url, { maxConcurrency: 2, timeoutMs: 30_000 }),
        await makeVariant(admin, server().url, { maxConcurrency: 2, timeoutMs: 30_000 }),
      ];
      const batchId = await makePromptsBatch(admin, 40, [a.id, b.id], "frozen ");
      server().delay(300, Infinity); // 20 rounds of 300 ms: 6 s of work
      const pair = await spawnWorkers(2, { sweep: true, heartbeatMs });
      const job = await startGeneration(admin, batchId);
      await waitForDoneItems(job.id, 2, 30_000);

      // Freeze the server that owns the job (SIGSTOP: a long GC pause, a stalled VM) with calls in flight and no
      // transaction open (frozen inside one, it would hold the job's row lock and the takeover would wait for it).
      let first: WorkerProcess | undefined;
      for (let tries = 0; !first; tries++) {
        if (tries > 100) throw new Error("could not freeze the owner between transactions");
        const { workerId } = await db.generationJob.findUniqueOrThrow({ where: { id: job.id } });
        const candidate = pair.find((w) => w.workerId === workerId);
        if (candidate && server().inFlight() > 0) {
          candidate.child.kill("SIGSTOP");
          await new Promise((r) => setTimeout(r, 100)); // statements it sent before the freeze finish meanwhile
          const [open] = await db.$queryRaw<{ n: bigint }[]>`
            SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`;
          const still = (await db.generationJob.findUniqueOrThrow({ where: { id: job.id } })).workerId === candidate.workerId;
          if (open.n === 0n && still) first = candidate;
          else candidate.child.kill("SIGCONT");
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      const second = pair.find((w) => w !== first)!;
      const atFreeze = await db.generationJob.findUniqueOrThrow({ where: { id: job.id } });
      const takeover = await pollUntil(
        () => db.generationJob.findUniqueOrThrow({ where: { id: job.id } }).then((j) => j.workerId),
        (workerId) => workerId === second.workerId,
        15_000,
        "takeover by the other server",
      );
      expect(takeover.at).toBeGreaterThanOrEqual(atFreeze.heartbeatAt!.getTime() + 1.5 * heartbeatMs - 100); // never while its heartbeat was fresh
      expect(atFreeze.done).toBeLessThan(40);

      // It wakes up with answers in hand: it learns it lost the job, stops its runner, says so, and stays up.
      first.child.kill("SIGCONT");
      const said = `generation job ${job.id}: no longer runs under this worker (${first.workerId}), now taken over by ${second.workerId}; this worker stopped`;
      await pollUntil(
        async () => first.stderr(),
        (text) => text.includes(said),
        15_000,
        "the frozen server saying it stopped",
      );
      await pollUntil(
        () => askWorkerProcess(first, "SIGUSR2"),
        (runs) => runs.length === 0,
        5000,
        "the frozen server's runner gone",
      );
      expect(first.child.exitCode).toBeNull();
      expect(first.child.signalCode).toBeNull();

      expect(await waitForJob(job.id, 60_000)).toMatchObject({ status: "done", total: 40, done: 40, failed: 0 });
      await expectStoredOnceAndCounted(job.id, batchId, 4); // its four call slots' worth, at most
      // Sampled once per slot; a call in flight at the freeze may have been sent once more by the other server.
      const perSlot = new Map<string, number>();
      for (const r of (await requestsOfBatch(batchId)).filter((r) => r.answer === 200)) {
        const slot = `${r.body.messages?.at(-1)?.content} ${r.body.model}`;
        perSlot.set(slot, (perSlot.get(slot) ?? 0) + 1);
      }
      expect(perSlot.size).toBe(80);
      expect(Math.max(...perSlot.values())).toBeLessThanOrEqual(2);
    }, 120_000);
  });
});

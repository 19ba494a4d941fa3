// Works through generation jobs in this process, in the background. Postgres holds the truth: which items are
// pending, done or failed, the counters, and which worker owns a running job (its workerId and a heartbeat on the
// database clock, both checked by every write the worker makes: compare-and-set). Every live server looks every
// half heartbeat for jobs that are queued or whose heartbeat is 1.5 beats old (their worker died) and takes them
// over (startGenerationSweeps, from instrumentation.ts): a dead worker's job moves on within 2 heartbeats.
//
// Items flow through a pool: as soon as one settles the next is claimed. At least twice as many are in flight as
// the variants have call slots in all (each item makes two calls), and more, up to a cap, while some variant's
// slots are idle, so every variant stays busy and one slow or stalled endpoint never holds up the items of the others.
//
// Never stored twice: an item's two responses and its `done` are written in one transaction, only while the job
// runs under this worker (its last statement counts the item on the job row where the job still does), and only
// when the comparison has no responses yet. A worker that finds its job paused, closed or taken over stops, and logs
// it. A call in flight when a worker died
// is lost and may be sent once more, with the same draw, by the next worker; its responses are stored once.
// A job whose batch is paused (job paused) or closed (job cancelled) stops: its worker learns it at its next
// write or heartbeat, aborts its calls in flight and stores nothing more.
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { hostname } from "node:os";
import pLimit from "p-limit";
import { db } from "../db";
import { getEnv } from "../env";
import { Prisma } from "../generated/prisma/client";
import { ModelCallError, sampleChat, type ChatResult } from "../model-variants/model-client";
import type { DefaultSampling } from "../model-variants/schemas";
import { comparisonContentSha256 } from "@/lib/content-hash";
import type { PlannedSlot } from "@/lib/sampling-plan";
import type { Message } from "@/lib/protocol";
import type { ModelVariant } from "../generated/prisma/client";

const MAX_ITEMS_IN_FLIGHT = 1024;
const POOL_CAP_FACTOR = 4;
const MAX_ERROR_CHARS = 2_000;

// On the embedded database (DATABASE_SINGLE_SESSION, npm start without DATABASE_URL) every connection shares one
// session, and its socket server interleaves the protocol messages of concurrent statements (an unnamed portal of one
// is lost to another). The worker's statements take turns there; on a real Postgres they run side by side.
const singleFile = pLimit(1);
function inTurn<T>(run: () => Promise<T>): Promise<T> {
  return getEnv().DATABASE_SINGLE_SESSION === "true" ? singleFile(run) : run();
}

// The database's clock as a UTC timestamp (the columns are timestamp without time zone): every server compares
// heartbeats on the same clock, whatever its own says.
const DB_NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;
// A heartbeat is the moment it is written: a statement that waited for the job's row lock (behind this worker's own
// settles) must not write the time it started waiting, which may already look stale.
const DB_CLOCK = Prisma.sql`(clock_timestamp() AT TIME ZONE 'UTC')`;

/** How often a worker renews its heartbeat, when a silent job counts as stale, and how often servers look for them. */
export function generationTiming(): { heartbeatMs: number; staleAfterMs: number; sweepMs: number } {
  const heartbeatMs = getEnv().GENERATION_HEARTBEAT_MS;
  return { heartbeatMs, staleAfterMs: Math.round(heartbeatMs * 1.5), sweepMs: Math.round(heartbeatMs / 2) };
}

/**
 * A running job's heartbeat is stale 1.5 beats of its owner's interval after it was written (the interval the owner
 * recorded, so servers configured differently agree; this server's own for a job from before it was recorded).
 */
function staleHeartbeat(): Prisma.Sql {
  const { heartbeatMs } = generationTiming();
  return Prisma.sql`("heartbeatAt" IS NULL
    OR "heartbeatAt" < ${DB_NOW} - 1.5 * COALESCE("heartbeatMs", ${heartbeatMs}::int) * interval '1 millisecond')`;
}

type Runner = { promise: Promise<void>; controller: AbortController; again: boolean; shutdown: boolean };

// On globalThis so that a reloaded module (next dev) still sees the runners and the sweep of this process.
const registry = globalThis as unknown as {
  pairwiseGenerationRunners?: Map<string, Runner>;
  pairwiseGenerationSweep?: NodeJS.Timeout;
  pairwiseGenerationWorkerId?: string;
  pairwiseGenerationLocalRunsOff?: boolean;
};

function runners(): Map<string, Runner> {
  registry.pairwiseGenerationRunners ??= new Map();
  return registry.pairwiseGenerationRunners;
}

/** This process's name as a job owner: host, pid and a nonce (a restarted process with the same pid is another worker). */
export function generationWorkerId(): string {
  registry.pairwiseGenerationWorkerId ??= `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  return registry.pairwiseGenerationWorkerId;
}

/**
 * Whether this process runs jobs itself. Off, it still creates and changes jobs, and the other servers' sweeps run
 * them (the multi-process tests use it to keep the test runner from working alongside its worker processes).
 */
export function setLocalGenerationRuns(enabled: boolean): void {
  registry.pairwiseGenerationLocalRunsOff = !enabled;
}

/**
 * Runs the job in this process unless a runner already works on it here; resolves when that runner stops.
 * Errors are logged, never thrown: the job's state in Postgres says what happened.
 */
export function runGenerationJob(jobId: string): Promise<void> {
  const existing = runners().get(jobId);
  if (existing) {
    existing.again = true; // new work may have been queued after it looked: it runs once more when it stops
    return existing.promise;
  }
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const runner: Runner = { controller, again: false, shutdown: false, promise: Promise.resolve() };
  runner.promise = workOnJob(jobId, controller.signal)
    .catch((error: unknown) => {
      // e.g. the database went away: a sweep (here or on another server) takes the job again once it is stale
      console.error(`generation job ${jobId} stopped: ${errorMessage(error)}`);
    })
    .finally(() => {
      runners().delete(jobId);
      if (runner.again && !runner.shutdown) void runGenerationJob(jobId);
    });
  runners().set(jobId, runner);
  return runner.promise;
}

/** Fire-and-forget form for callers that only start work (startGeneration, retries, resume, the sweep). */
export function requestGenerationRun(jobId: string): void {
  if (registry.pairwiseGenerationLocalRunsOff) return;
  void runGenerationJob(jobId);
}

/** The jobs this process's runners work on right now (a worker that lost a job has no runner for it any more). */
export function generationRunsHere(): string[] {
  return [...runners().keys()];
}

/** Stops this process's runner of the job at once (its batch was paused or closed here); resolves when it stopped. */
export async function abortGenerationRun(jobId: string): Promise<void> {
  const runner = runners().get(jobId);
  if (!runner) return;
  runner.controller.abort();
  await runner.promise;
}

/**
 * Stops this process's sweep and workers as a crash would (used on shutdown and by tests): no more claims, calls in
 * flight are aborted and their results discarded, the jobs stay `running` until their heartbeat goes stale.
 */
export async function stopGenerationWorkers(): Promise<void> {
  clearInterval(registry.pairwiseGenerationSweep);
  registry.pairwiseGenerationSweep = undefined;
  const all = [...runners().values()];
  for (const runner of all) {
    runner.shutdown = true;
    runner.controller.abort();
  }
  await Promise.all(all.map((r) => r.promise));
}

/**
 * One sweep: starts every job left queued, or running with a stale heartbeat (its worker died), that this process
 * does not run already. Returns the ids of the jobs it started; logs and returns [] when the database is unreachable.
 */
export async function resumeGenerationJobs(): Promise<string[]> {
  if (registry.pairwiseGenerationLocalRunsOff) return [];
  try {
    const jobs = await inTurn(
      () => db.$queryRaw<{ id: string }[]>`
        SELECT id FROM "GenerationJob"
        WHERE status = 'queued' OR (status = 'running' AND ${staleHeartbeat()})
        ORDER BY "createdAt"`,
    );
    const resumable = jobs.filter((j) => !runners().has(j.id));
    for (const job of resumable) requestGenerationRun(job.id);
    return resumable.map((j) => j.id);
  } catch (error) {
    console.error(`resuming generation jobs failed: ${errorMessage(error)}`);
    return [];
  }
}

/** Sweeps now and then every half heartbeat, for the life of the process (instrumentation.ts). Idempotent. */
export function startGenerationSweeps(): void {
  if (registry.pairwiseGenerationSweep) return;
  let sweeping = false;
  const sweep = () => {
    if (sweeping) return;
    sweeping = true;
    void resumeGenerationJobs().finally(() => (sweeping = false));
  };
  registry.pairwiseGenerationSweep = setInterval(sweep, generationTiming().sweepMs);
  registry.pairwiseGenerationSweep.unref();
  sweep();
}

/** Takes the job if it is queued, running with a stale heartbeat, or left running by this very worker. */
async function takeJob(jobId: string): Promise<boolean> {
  const me = generationWorkerId();
  const rows = await inTurn(
    () => db.$queryRaw<{ id: string }[]>`
    UPDATE "GenerationJob"
    SET status = 'running', "workerId" = ${me}, "heartbeatAt" = ${DB_NOW}, "heartbeatMs" = ${generationTiming().heartbeatMs}::int,
        "startedAt" = COALESCE("startedAt", ${DB_NOW}), "finishedAt" = NULL
    WHERE id = ${jobId} AND (status = 'queued' OR (status = 'running' AND ("workerId" = ${me} OR ${staleHeartbeat()})))
    RETURNING id`,
  );
  return rows.length === 1;
}

/** Renews the heartbeat while the job runs under this worker; false when it no longer does (paused, closed, taken). */
async function beat(jobId: string): Promise<boolean> {
  const updated = await inTurn(
    () => db.$executeRaw`
    UPDATE "GenerationJob" SET "heartbeatAt" = ${DB_CLOCK}
    WHERE id = ${jobId} AND status = 'running' AND "workerId" = ${generationWorkerId()}`,
  );
  return updated === 1;
}

/** The job's row, locked, if it still runs under this worker: finishing the job starts with it (settles end with countOnOwnedJob). */
async function lockOwnedJob(tx: Prisma.TransactionClient, jobId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "GenerationJob" WHERE id = ${jobId} AND status = 'running' AND "workerId" = ${generationWorkerId()}
    FOR NO KEY UPDATE`;
  return rows.length === 1;
}

/** The job was paused, cancelled or taken over: this worker stops, and its transaction writes nothing. */
class JobLostError extends Error {
  constructor(jobId: string) {
    super(`generation job ${jobId} no longer runs under this worker`);
    this.name = "JobLostError";
  }
}

type ClaimedItem = { id: string; comparisonId: string; plan: PlannedSlot[]; context: Message[]; prompt: string; answered: boolean };

/**
 * Up to `limit` pending items this worker is not already working on, in id order (an index walk); none once the job
 * no longer runs under this worker, so a worker that was taken over (and has not noticed yet) sends no new calls.
 */
async function claimItems(jobId: string, limit: number, inFlight: string[]): Promise<ClaimedItem[]> {
  return inTurn(
    () => db.$queryRaw<ClaimedItem[]>`
    SELECT g.id, g."comparisonId", g.plan, c.context, c.prompt,
           EXISTS (SELECT 1 FROM "Response" r WHERE r."comparisonId" = c.id) AS answered
    FROM "GenerationItem" g JOIN "Comparison" c ON c.id = g."comparisonId"
    WHERE g."jobId" = ${jobId} AND g.status = 'pending' AND NOT (g.id = ANY(${inFlight}::text[]))
      AND EXISTS (SELECT 1 FROM "GenerationJob" j WHERE j.id = ${jobId} AND j.status = 'running' AND j."workerId" = ${generationWorkerId()})
    ORDER BY g.id
    LIMIT ${limit}`,
  );
}

async function workOnJob(jobId: string, runnerSignal: AbortSignal): Promise<void> {
  if (!(await takeJob(jobId))) return; // finished, paused, cancelled, or another live worker owns it
  const job = new AbortController();
  setMaxListeners(0, job.signal); // every call in flight listens to it
  const stopJob = () => job.abort();
  runnerSignal.addEventListener("abort", stopJob, { once: true });
  if (runnerSignal.aborted) stopJob();
  // The job no longer runs under this worker (paused, closed or taken over elsewhere): stop, and say so at the end.
  let lost = false;
  const loseJob = () => {
    lost = true;
    stopJob();
  };

  let beating = false;
  const heartbeat = setInterval(() => {
    if (beating || job.signal.aborted) return;
    beating = true;
    beat(jobId)
      .then((owned) => {
        if (!owned) loseJob();
      })
      .catch((error: unknown) => console.error(`generation job ${jobId}: heartbeat failed: ${errorMessage(error)}`))
      .finally(() => (beating = false));
  }, generationTiming().heartbeatMs);
  heartbeat.unref();

  const inFlight = new Map<string, Promise<void>>();
  const calls = new Map<string, number>(); // calls queued or running, per variant, of the items in flight
  let changes = 0; // items settled and calls ended so far: each is a reason to look for more work
  let wake: (() => void) | null = null;
  const changed = () => {
    changes += 1;
    const next = wake;
    wake = null;
    next?.();
  };
  const countCall = (variantId: string, delta: number) => calls.set(variantId, (calls.get(variantId) ?? 0) + delta);
  const aborted = new Promise<void>((resolve) => job.signal.addEventListener("abort", () => resolve(), { once: true }));
  try {
    const pool = await poolOf(jobId);
    // Idle call slots of the batch's variants: a variant whose calls all ended while its items wait on a slow
    // partner (or a stalled endpoint fills the pool) gets more items, up to the pool's cap.
    const idleSlots = () => [...pool.slots].reduce((sum, [variantId, max]) => sum + Math.max(0, max - (calls.get(variantId) ?? 0)), 0);
    while (!job.signal.aborted) {
      const seen = changes;
      const wanted =
        inFlight.size < pool.target ? pool.target - inFlight.size : inFlight.size < pool.cap ? Math.min(pool.cap - inFlight.size, idleSlots()) : 0;
      let more = false;
      if (wanted > 0) {
        const items = await claimItems(jobId, wanted, [...inFlight.keys()]);
        if (job.signal.aborted) break;
        const variants = items.length > 0 ? await loadVariants(items) : new Map<string, ModelVariant>();
        for (const item of items) {
          const work = processItem(jobId, item, variants, { signal: job.signal, loseJob, countCall, changed }).finally(() => {
            inFlight.delete(item.id);
            changed();
          });
          inFlight.set(item.id, work);
        }
        if (inFlight.size === 0) {
          const finished = await finishJob(jobId);
          if (finished === "lost") loseJob();
          if (finished !== "pending") return;
          continue; // items became pending again meanwhile (a retry): claim them
        }
        more = items.length === wanted; // there may be more pending: look again at once
      }
      if (more || changes !== seen) continue;
      await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
    }
  } finally {
    clearInterval(heartbeat);
    runnerSignal.removeEventListener("abort", stopJob);
    stopJob(); // calls still in flight (an error got us here) stop too
    await Promise.allSettled(inFlight.values());
    if (lost) await reportLostJob(jobId);
  }
}

/** One line when a worker stopped because its job moved on without it: what the job is now, and who runs it. */
async function reportLostJob(jobId: string): Promise<void> {
  const job = await inTurn(() => db.generationJob.findUnique({ where: { id: jobId }, select: { status: true, workerId: true } })).catch(() => null);
  const now = !job ? "unknown" : job.status === "running" && job.workerId !== generationWorkerId() ? `taken over by ${job.workerId}` : job.status;
  console.warn(`generation job ${jobId}: no longer runs under this worker (${generationWorkerId()}), now ${now}; this worker stopped`);
}

/**
 * How many items the worker keeps in flight: at least twice as many as the batch's variants have call slots in all
 * (each item makes two calls, so every variant has calls queued), and up to POOL_CAP_FACTOR times the slots while
 * some variant's slots are idle.
 */
async function poolOf(jobId: string): Promise<{ target: number; cap: number; slots: Map<string, number> }> {
  const job = await inTurn(() =>
    db.generationJob.findUniqueOrThrow({
      where: { id: jobId },
      select: { batch: { select: { modelVariants: { select: { modelVariant: { select: { id: true, maxConcurrency: true } } } } } } },
    }),
  );
  const slots = new Map(job.batch.modelVariants.map(({ modelVariant: v }) => [v.id, v.maxConcurrency]));
  const total = [...slots.values()].reduce((sum, n) => sum + n, 0);
  // Twice the slots: calls waiting out a retry's backoff hold no slot, and the others keep every slot busy meanwhile.
  const target = Math.min(MAX_ITEMS_IN_FLIGHT, Math.max(2, 2 * total));
  return { target, cap: Math.min(MAX_ITEMS_IN_FLIGHT, Math.max(target, POOL_CAP_FACTOR * total)), slots };
}

/** The variants the items' plans name, read fresh so an edited endpoint or bound applies from the next claim. */
async function loadVariants(items: ClaimedItem[]): Promise<Map<string, ModelVariant>> {
  const ids = [...new Set(items.flatMap((i) => i.plan.map((slot) => slot.modelVariantId)))];
  const rows = await inTurn(() => db.modelVariant.findMany({ where: { id: { in: ids } } }));
  return new Map(rows.map((r) => [r.id, r]));
}

type ItemContext = {
  signal: AbortSignal;
  /** The job no longer runs under this worker: stop every item. */
  loseJob: () => void;
  /** Counts a call of the variant as queued or running (+1), or ended (-1). */
  countCall: (variantId: string, delta: number) => void;
  /** Wakes the pool: a call ended, so its variant may have an idle slot. */
  changed: () => void;
};

async function processItem(jobId: string, item: ClaimedItem, variants: Map<string, ModelVariant>, context: ItemContext): Promise<void> {
  const { signal, loseJob } = context;
  let attempts = 0; // HTTP requests sent for this item in this run
  const onAttempt = () => (attempts += 1);
  try {
    if (item.answered) {
      // Already answered (an earlier worker committed just before dying): nothing to sample.
      await settleItem(jobId, item, null, 0);
      return;
    }
    const messages: Message[] = [...item.context, { role: "user", content: item.prompt }];
    const outcomes = await Promise.allSettled(
      item.plan.map((slot) => {
        context.countCall(slot.modelVariantId, 1);
        return sampleSlot(slot, variants.get(slot.modelVariantId), messages, { signal, onAttempt }).finally(() => {
          context.countCall(slot.modelVariantId, -1);
          context.changed();
        });
      }),
    );
    if (signal.aborted) {
      await recordAbandonedAttempts(item.id, attempts); // the item stays pending: the next run sends it again
      return;
    }
    const failures = outcomes.flatMap((o) => (o.status === "rejected" ? [errorMessage(o.reason)] : []));
    if (failures.length > 0) {
      await failItem(jobId, item.id, [...new Set(failures)].join("; "), attempts);
      return;
    }
    await settleItem(
      jobId,
      item,
      (outcomes as PromiseFulfilledResult<ChatResult>[]).map((o) => o.value),
      attempts,
    );
  } catch (error) {
    if (error instanceof JobLostError) {
      loseJob();
      await recordAbandonedAttempts(item.id, attempts);
      return;
    }
    if (signal.aborted) return;
    // Storing failed (the transaction rolled back, nothing was written): fail the item so a retry can redo it,
    // rather than claiming it again and again. If even that fails it stays pending and is claimed again.
    console.error(`generation item ${item.id}: ${errorMessage(error)}`);
    await failItem(jobId, item.id, `the responses could not be stored: ${errorMessage(error)}`, attempts).catch((failure: unknown) => {
      if (failure instanceof JobLostError) loseJob();
    });
  }
}

async function sampleSlot(
  slot: PlannedSlot,
  variant: ModelVariant | undefined,
  messages: Message[],
  options: { signal: AbortSignal; onAttempt: () => void },
): Promise<ChatResult> {
  if (!variant) throw new ModelCallError(`model variant ${slot.modelVariantId} no longer exists`);
  if (!variant.active) throw new ModelCallError(`${variant.name} ${variant.version}: the model variant was deactivated`);
  const defaults = variant.defaultSampling as DefaultSampling;
  const result = await sampleChat(
    variant,
    messages,
    { temperature: slot.temperature ?? defaults.temperature, top_p: defaults.top_p, max_tokens: defaults.max_tokens, seed: slot.seed },
    options,
  );
  if (result.content.trim() === "") throw new ModelCallError(`${variant.name} ${variant.version}: the endpoint returned an empty response`);
  return result;
}

/**
 * Counts a settled item on the job, and renews its heartbeat (settling proves the worker alive as well as a beat
 * does, and the beat may be queued behind these very settles), if the job still runs under this worker: the
 * compare-and-set that ends every settling transaction. Its row lock is taken last and held only until the commit
 * that follows, so the worker's settles queue on the job's row one statement at a time, not a transaction at a
 * time. Throws JobLostError otherwise: the transaction rolls back and writes nothing.
 */
async function countOnOwnedJob(tx: Prisma.TransactionClient, jobId: string, counter: "done" | "failed"): Promise<void> {
  const column = Prisma.raw(`"${counter}"`);
  const counted = await tx.$executeRaw`
    UPDATE "GenerationJob" SET ${column} = ${column} + 1, "heartbeatAt" = ${DB_CLOCK}
    WHERE id = ${jobId} AND status = 'running' AND "workerId" = ${generationWorkerId()}`;
  if (counted !== 1) throw new JobLostError(jobId);
}

/**
 * Marks the item done, writing both responses in the same transaction, unless the comparison already has
 * responses (then it only marks done). `results` null: nothing was sampled. Throws JobLostError, writing nothing,
 * when the job no longer runs under this worker.
 */
async function settleItem(jobId: string, item: ClaimedItem, results: ChatResult[] | null, attempts: number): Promise<void> {
  await inTurn(() =>
    db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ status: string }[]>`SELECT status FROM "GenerationItem" WHERE id = ${item.id} FOR UPDATE`;
      if (!row || row.status !== "pending") return; // settled meanwhile by another worker
      // The comparison lock orders us with anyone else writing its responses.
      const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Comparison" WHERE id = ${item.comparisonId} FOR UPDATE`;
      if (locked && results && (await tx.response.count({ where: { comparisonId: item.comparisonId } })) === 0) {
        await tx.response.createMany({
          data: results.map((result, slot) => ({
            comparisonId: item.comparisonId,
            slot,
            content: result.content,
            modelVariantId: item.plan[slot].modelVariantId,
            sampling: result.sent,
            promptTokens: result.promptTokens,
            completionTokens: result.completionTokens,
            latencyMs: result.latencyMs,
            finishReason: result.finishReason,
          })),
        });
        // From now on the comparison is a pair: it hashes as one (exports.md content_sha256).
        await tx.comparison.update({
          where: { id: item.comparisonId },
          data: { contentSha256: comparisonContentSha256(item.context, item.prompt, [results[0].content, results[1].content]) },
        });
      }
      await tx.generationItem.update({ where: { id: item.id }, data: { status: "done", error: null, attempts: { increment: attempts } } });
      await countOnOwnedJob(tx, jobId, "done");
    }),
  );
}

async function failItem(jobId: string, itemId: string, message: string, attempts: number): Promise<void> {
  await inTurn(() =>
    db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ status: string }[]>`SELECT status FROM "GenerationItem" WHERE id = ${itemId} FOR UPDATE`;
      if (!row || row.status !== "pending") return;
      await tx.generationItem.update({
        where: { id: itemId },
        data: { status: "failed", error: message.slice(0, MAX_ERROR_CHARS), attempts: { increment: attempts } },
      });
      await countOnOwnedJob(tx, jobId, "failed");
    }),
  );
}

/** Requests sent for an item whose run was cut short still count (best effort: the process may be going away). */
async function recordAbandonedAttempts(itemId: string, attempts: number): Promise<void> {
  if (attempts === 0) return;
  await inTurn(() => db.generationItem.update({ where: { id: itemId }, data: { attempts: { increment: attempts } } })).catch(() => undefined);
}

/**
 * Ends the job when no item is pending: done, or failed when every item failed. Counters are recounted from the
 * items here, so they end right whatever happened on the way. Says "pending" while items are still pending, "lost"
 * when the job no longer runs under this worker.
 */
async function finishJob(jobId: string): Promise<"finished" | "pending" | "lost"> {
  return inTurn(() =>
    db.$transaction(async (tx) => {
      if (!(await lockOwnedJob(tx, jobId))) return "lost" as const;
      const counts = await tx.generationItem.groupBy({ by: ["status"], where: { jobId }, _count: { _all: true } });
      const count = (status: string) => counts.find((c) => c.status === status)?._count._all ?? 0;
      if (count("pending") > 0) return "pending" as const;
      const done = count("done");
      const failed = count("failed");
      await tx.generationJob.update({
        where: { id: jobId },
        data: { status: done === 0 && failed > 0 ? "failed" : "done", done, failed, finishedAt: new Date() },
      });
      return "finished" as const;
    }),
  );
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

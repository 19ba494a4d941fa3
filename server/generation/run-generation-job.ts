// Works through a generation job in this process, in the background. Postgres holds the truth: which items are
// pending, done or failed, the counters, and a heartbeat saying a worker is alive. A worker owns a job while
// its heartbeat is fresh (taken and renewed by compare-and-set); a job whose heartbeat went stale (the process
// died) is taken over by resumeGenerationJobs, here or in another process.
//
// Never stored twice: an item's two responses and its `done` are written in one transaction, and only when the
// comparison has no responses yet. A call that was in flight when a worker died is lost and may be sampled once
// more by the next worker, but its responses can never be stored a second time.
import { setMaxListeners } from "node:events";
import { db } from "../db";
import { ModelCallError, sampleChat, type ChatResult } from "../model-variants/model-client";
import type { DefaultSampling } from "../model-variants/schemas";
import { comparisonContentSha256 } from "@/lib/content-hash";
import type { PlannedSlot } from "@/lib/sampling-plan";
import type { Message } from "@/lib/protocol";
import type { ModelVariant } from "../generated/prisma/client";

/** How often a running worker renews its heartbeat, and how old one must be before another worker takes over. */
export const HEARTBEAT_MS = 5_000;
export const STALE_AFTER_MS = 30_000;
const MAX_ITEMS_PER_CLAIM = 16;
const MAX_ERROR_CHARS = 2_000;

type Runner = { promise: Promise<void>; controller: AbortController; again: boolean };

// On globalThis so that a reloaded module (next dev) still sees the runners already working in this process.
const registry = globalThis as unknown as { pairwiseGenerationRunners?: Map<string, Runner>; pairwiseGenerationResumeTimer?: NodeJS.Timeout };

function runners(): Map<string, Runner> {
  registry.pairwiseGenerationRunners ??= new Map();
  return registry.pairwiseGenerationRunners;
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
  setMaxListeners(0, controller.signal); // every call in flight listens to it while it runs
  const runner: Runner = { controller, again: false, promise: Promise.resolve() };
  runner.promise = workOnJob(jobId, controller.signal)
    .catch((error: unknown) => {
      console.error(`generation job ${jobId} stopped: ${(error as Error)?.message ?? error}`);
      scheduleResume(); // e.g. the database went away: try again once the heartbeat is stale
    })
    .finally(() => {
      runners().delete(jobId);
      if (runner.again && !controller.signal.aborted) void runGenerationJob(jobId);
    });
  runners().set(jobId, runner);
  return runner.promise;
}

/** Fire-and-forget form for callers that only start work (startGeneration, retries, resume). */
export function requestGenerationRun(jobId: string): void {
  void runGenerationJob(jobId);
}

/**
 * Stops this process's workers as a crash would (used on shutdown and by tests): no more claims, calls in
 * flight are aborted and their results discarded, the jobs stay `running` until their heartbeat goes stale.
 */
export async function stopGenerationWorkers(): Promise<void> {
  clearTimeout(registry.pairwiseGenerationResumeTimer);
  registry.pairwiseGenerationResumeTimer = undefined;
  const all = [...runners().values()];
  for (const runner of all) runner.controller.abort();
  await Promise.all(all.map((r) => r.promise));
}

/**
 * Restarts every job left queued, or running with a stale heartbeat (its process died). Called at server start
 * (instrumentation.ts); jobs whose heartbeat still looks fresh are looked at again once it would be stale.
 * Returns the ids of the jobs it started; logs and returns [] when the database is unreachable.
 */
export async function resumeGenerationJobs(): Promise<string[]> {
  try {
    const staleBefore = Date.now() - STALE_AFTER_MS;
    const jobs = await db.generationJob.findMany({
      where: { status: { in: ["queued", "running"] } },
      select: { id: true, status: true, heartbeatAt: true },
      orderBy: { createdAt: "asc" },
    });
    const mine = runners();
    const resumable = jobs.filter((j) => !mine.has(j.id) && (j.status === "queued" || !j.heartbeatAt || j.heartbeatAt.getTime() < staleBefore));
    for (const job of resumable) requestGenerationRun(job.id);
    if (jobs.some((j) => !mine.has(j.id) && !resumable.includes(j))) scheduleResume();
    return resumable.map((j) => j.id);
  } catch (error) {
    console.error(`resuming generation jobs failed: ${(error as Error)?.message ?? error}`);
    scheduleResume();
    return [];
  }
}

function scheduleResume(): void {
  if (registry.pairwiseGenerationResumeTimer) return;
  const timer = setTimeout(() => {
    registry.pairwiseGenerationResumeTimer = undefined;
    void resumeGenerationJobs();
  }, STALE_AFTER_MS + HEARTBEAT_MS);
  timer.unref();
  registry.pairwiseGenerationResumeTimer = timer;
}

/** Takes the job if it is queued, or running with a stale heartbeat; returns the heartbeat written (the ownership token). */
async function takeJob(jobId: string): Promise<Date | null> {
  const now = new Date();
  const staleBefore = new Date(now.getTime() - STALE_AFTER_MS);
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "GenerationJob"
    SET status = 'running', "heartbeatAt" = ${now}, "startedAt" = COALESCE("startedAt", ${now}), "finishedAt" = NULL
    WHERE id = ${jobId}
      AND (status = 'queued' OR (status = 'running' AND ("heartbeatAt" IS NULL OR "heartbeatAt" < ${staleBefore})))
    RETURNING id`;
  return rows.length === 1 ? now : null;
}

type ClaimedItem = { id: string; comparisonId: string; plan: PlannedSlot[] };

/** Claims up to `limit` pending items, oldest comparisons first; rows another claimer holds are skipped. */
async function claimItems(jobId: string, limit: number): Promise<ClaimedItem[]> {
  return db.$queryRaw<ClaimedItem[]>`
    UPDATE "GenerationItem" gi
    SET attempts = gi.attempts + 1, "updatedAt" = ${new Date()}
    FROM (
      SELECT g.id FROM "GenerationItem" g JOIN "Comparison" c ON c.id = g."comparisonId"
      WHERE g."jobId" = ${jobId} AND g.status = 'pending'
      ORDER BY c.seq
      LIMIT ${limit}
      FOR UPDATE OF g SKIP LOCKED
    ) picked
    WHERE gi.id = picked.id
    RETURNING gi.id, gi."comparisonId", gi.plan`;
}

async function workOnJob(jobId: string, signal: AbortSignal): Promise<void> {
  let token = await takeJob(jobId);
  if (!token) return; // finished, or another live worker owns it
  let owned = true;
  let beating = false;
  const heartbeat = setInterval(() => {
    if (beating || !owned) return;
    beating = true;
    const next = new Date();
    db.$executeRaw`UPDATE "GenerationJob" SET "heartbeatAt" = ${next} WHERE id = ${jobId} AND status = 'running' AND "heartbeatAt" = ${token}`
      .then((updated) => {
        if (updated === 1) token = next;
        else owned = false; // finished, cancelled, or taken over after we stalled: stop claiming
      })
      .catch((error: unknown) => console.error(`generation job ${jobId}: heartbeat failed: ${(error as Error)?.message ?? error}`))
      .finally(() => (beating = false));
  }, HEARTBEAT_MS);
  heartbeat.unref();
  try {
    const claimSize = await itemsPerClaim(jobId);
    while (!signal.aborted && owned) {
      const items = await claimItems(jobId, claimSize);
      if (signal.aborted) return;
      if (items.length === 0) {
        if (await finishJob(jobId)) return;
        await pause(1000, signal); // the last pending items are held by another claimer: look again shortly
        continue;
      }
      const variants = await loadVariants(items);
      const comparisons = await db.comparison.findMany({
        where: { id: { in: items.map((i) => i.comparisonId) } },
        select: { id: true, context: true, prompt: true, _count: { select: { responses: true } } },
      });
      const byId = new Map(comparisons.map((c) => [c.id, c]));
      await Promise.all(items.map((item) => processItem(jobId, item, byId.get(item.comparisonId), variants, signal)));
    }
  } finally {
    clearInterval(heartbeat);
  }
}

/** Enough items in flight to keep every variant of the batch busy (each item makes two calls). */
async function itemsPerClaim(jobId: string): Promise<number> {
  const job = await db.generationJob.findUniqueOrThrow({
    where: { id: jobId },
    select: { batch: { select: { modelVariants: { select: { modelVariant: { select: { maxConcurrency: true } } } } } } },
  });
  const slots = job.batch.modelVariants.reduce((sum, link) => sum + link.modelVariant.maxConcurrency, 0);
  return Math.min(MAX_ITEMS_PER_CLAIM, Math.max(1, Math.ceil(slots / 2)));
}

/** The variants the items' plans name, read fresh so an edited endpoint or bound applies from the next claim. */
async function loadVariants(items: ClaimedItem[]): Promise<Map<string, ModelVariant>> {
  const ids = [...new Set(items.flatMap((i) => i.plan.map((slot) => slot.modelVariantId)))];
  const rows = await db.modelVariant.findMany({ where: { id: { in: ids } } });
  return new Map(rows.map((r) => [r.id, r]));
}

type ComparisonToSample = { id: string; context: unknown; prompt: string; _count: { responses: number } };

async function processItem(
  jobId: string,
  item: ClaimedItem,
  comparison: ComparisonToSample | undefined,
  variants: Map<string, ModelVariant>,
  signal: AbortSignal,
): Promise<void> {
  try {
    if (!comparison || comparison._count.responses > 0) {
      // Already answered (an earlier worker committed just before dying) or deleted: nothing to sample.
      await settleItem(jobId, item, comparison ?? null, null);
      return;
    }
    const context = comparison.context as Message[];
    const messages: Message[] = [...context, { role: "user", content: comparison.prompt }];
    const outcomes = await Promise.allSettled(item.plan.map((slot) => sampleSlot(slot, variants.get(slot.modelVariantId), messages, signal)));
    if (signal.aborted) return; // as if the process died here: nothing of this item is written
    const failures = outcomes.flatMap((o) => (o.status === "rejected" ? [errorMessage(o.reason)] : []));
    if (failures.length > 0) {
      await failItem(jobId, item.id, [...new Set(failures)].join("; "));
      return;
    }
    const results = outcomes.map((o) => (o as PromiseFulfilledResult<ChatResult>).value);
    await settleItem(jobId, item, { ...comparison, context }, results);
  } catch (error) {
    if (signal.aborted) return;
    // Storing failed (the transaction rolled back, nothing was written): fail the item so a retry can redo it,
    // rather than claiming it again and again. If even that fails it stays pending and is claimed again.
    console.error(`generation item ${item.id}: ${errorMessage(error)}`);
    await failItem(jobId, item.id, `the responses could not be stored: ${errorMessage(error)}`).catch(() => undefined);
  }
}

async function sampleSlot(slot: PlannedSlot, variant: ModelVariant | undefined, messages: Message[], signal: AbortSignal): Promise<ChatResult> {
  if (!variant) throw new ModelCallError(`model variant ${slot.modelVariantId} no longer exists`);
  if (!variant.active) throw new ModelCallError(`${variant.name} ${variant.version}: the model variant was deactivated`);
  const defaults = variant.defaultSampling as DefaultSampling;
  const result = await sampleChat(
    variant,
    messages,
    { temperature: slot.temperature ?? defaults.temperature, top_p: defaults.top_p, max_tokens: defaults.max_tokens, seed: slot.seed },
    { signal },
  );
  if (result.content.trim() === "") throw new ModelCallError(`${variant.name} ${variant.version}: the endpoint returned an empty response`);
  return result;
}

/**
 * Marks the item done, writing both responses in the same transaction, unless the comparison already has
 * responses (then it only marks done). `results` null: nothing was sampled.
 */
async function settleItem(
  jobId: string,
  item: ClaimedItem,
  comparison: { id: string; context: unknown; prompt: string } | null,
  results: ChatResult[] | null,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ status: string }[]>`SELECT status FROM "GenerationItem" WHERE id = ${item.id} FOR UPDATE`;
    if (!row || row.status !== "pending") return; // settled meanwhile by another worker
    // The comparison lock orders us with anyone else writing its responses.
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Comparison" WHERE id = ${item.comparisonId} FOR UPDATE`;
    if (locked && comparison && results && (await tx.response.count({ where: { comparisonId: comparison.id } })) === 0) {
      await tx.response.createMany({
        data: results.map((result, slot) => ({
          comparisonId: comparison.id,
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
        where: { id: comparison.id },
        data: { contentSha256: comparisonContentSha256(comparison.context as Message[], comparison.prompt, [results[0].content, results[1].content]) },
      });
    }
    await tx.generationItem.update({ where: { id: item.id }, data: { status: "done", error: null } });
    await tx.$executeRaw`UPDATE "GenerationJob" SET done = done + 1 WHERE id = ${jobId}`;
  });
}

async function failItem(jobId: string, itemId: string, message: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ status: string }[]>`SELECT status FROM "GenerationItem" WHERE id = ${itemId} FOR UPDATE`;
    if (!row || row.status !== "pending") return;
    await tx.generationItem.update({ where: { id: itemId }, data: { status: "failed", error: message.slice(0, MAX_ERROR_CHARS) } });
    await tx.$executeRaw`UPDATE "GenerationJob" SET failed = failed + 1 WHERE id = ${jobId}`;
  });
}

/**
 * Ends the job when no item is pending: done, or failed when every item failed. Counters are recounted from the
 * items here, so they end right whatever happened on the way. Returns false while items are still pending.
 */
async function finishJob(jobId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const [job] = await tx.$queryRaw<{ status: string }[]>`SELECT status FROM "GenerationJob" WHERE id = ${jobId} FOR UPDATE`;
    if (!job || job.status !== "running") return true; // finished or cancelled elsewhere
    const counts = await tx.generationItem.groupBy({ by: ["status"], where: { jobId }, _count: { _all: true } });
    const count = (status: string) => counts.find((c) => c.status === status)?._count._all ?? 0;
    if (count("pending") > 0) return false;
    const done = count("done");
    const failed = count("failed");
    await tx.generationJob.update({
      where: { id: jobId },
      data: { status: done === 0 && failed > 0 ? "failed" : "done", done, failed, finishedAt: new Date() },
    });
    return true;
  });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    signal.addEventListener("abort", wake, { once: true });
  });
}

// Moves a batch through its lifecycle: draft → active ⇄ paused → closed. An imported batch is activated only when
// every comparison has its two responses; an annotator-written one (no imported comparisons, answered live) only
// when at least two active model variants with an endpoint can answer its prompts. Its generation follows it, in
// the same transaction: pausing pauses the job, resuming queues it again, closing cancels it (the worker writes
// nothing once that commits: each of its writes checks the job row first).
import { db, type Prisma } from "../db";
import { AppError, parseInput } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Actor } from "../auth/permissions";
import { setBatchStatusSchema } from "./schemas";
import { countComparisons } from "./comparison-counts";
import { abortGenerationRun, requestGenerationRun } from "../generation/run-generation-job";
import type { BatchStatus } from "@/lib/protocol";

const ALLOWED: Record<BatchStatus, BatchStatus[]> = {
  draft: ["active", "closed"],
  active: ["paused", "closed"],
  paused: ["active", "closed"],
  closed: [],
};

export function canMoveBatch(from: BatchStatus, to: BatchStatus): boolean {
  return from === to || ALLOWED[from].includes(to);
}

export async function setBatchStatus(actor: Actor, batchId: string, input: unknown): Promise<{ id: string; status: BatchStatus }> {
  requirePermission(actor, "batches.write");
  const { status } = parseInput(setBatchStatusSchema, input);
  const moved = await db.$transaction(async (tx) => {
    // NO KEY UPDATE serialises status changes without blocking the foreign-key checks of rows that point at the
    // batch: a generation worker storing a pair (its tally row checks the batch) while holding its job row, which
    // this transaction locks next, would otherwise wait on us as we wait on it.
    const [batch] = await tx.$queryRaw<{ id: string; status: BatchStatus; promptSource: "imported" | "annotator_written" }[]>`
      SELECT id, status, "promptSource" FROM "Batch" WHERE id = ${batchId} FOR NO KEY UPDATE`;
    if (!batch) throw new AppError("not_found", `No batch with id ${batchId}.`);
    if (batch.status === status) return { id: batch.id, status, jobs: [] };
    if (!canMoveBatch(batch.status, status)) {
      throw new AppError("conflict", `A ${batch.status} batch cannot become ${status}.`);
    }
    if (status === "active" && batch.promptSource === "annotator_written") {
      const variants = await tx.batchModelVariant.count({
        where: { batchId, modelVariant: { active: true, baseUrl: { not: null }, modelId: { not: null } } },
      });
      if (variants < 2) {
        throw new AppError(
          "conflict",
          `Annotators write this batch's prompts and two different model variants answer them live: it needs at least two ` +
            `active model variants with an endpoint (it has ${variants}); pick them under this batch's model variants before ` +
            "activating it.",
        );
      }
    } else if (status === "active" && batch.status === "draft") {
      // Resuming a paused batch is not held back: it was active already, and prompts imported while it was are
      // handed to annotators only once their two responses exist (its generation resumes with it).
      const { comparisons, lackingResponses } = await countComparisons(tx, batchId);
      if (comparisons === 0) throw new AppError("conflict", "Import comparisons before activating the batch.");
      if (lackingResponses > 0) {
        throw new AppError(
          "conflict",
          `${lackingResponses} of ${comparisons} comparisons still ${lackingResponses === 1 ? "lacks its" : "lack their"} two responses; ` +
            "generate them (Generate responses, on this batch's page) before activating the batch.",
        );
      }
    }
    await tx.batch.update({ where: { id: batchId }, data: { status } });
    const jobs = await moveGenerationJobs(tx, batchId, status);
    await recordAudit(tx, {
      actorId: actor.id,
      action: "batch.status",
      entityType: "batch",
      entityId: batchId,
      before: { status: batch.status },
      after: { status, ...(jobs.length > 0 ? { generationJobs: Object.fromEntries(jobs.map((j) => [j.id, j.status])) } : {}) },
    });
    return { id: batchId, status, jobs };
  });
  // A worker in this process stops now; one on another server at its next write or heartbeat.
  for (const job of moved.jobs) {
    if (job.status === "queued") requestGenerationRun(job.id);
    else await abortGenerationRun(job.id);
  }
  return { id: moved.id, status: moved.status };
}

/** The batch's generation follows it: paused with it, queued again when it resumes, cancelled when it closes. */
async function moveGenerationJobs(tx: Prisma.TransactionClient, batchId: string, status: BatchStatus): Promise<{ id: string; status: string }[]> {
  if (status === "paused") {
    return tx.$queryRaw`
      UPDATE "GenerationJob" SET status = 'paused', "workerId" = NULL
      WHERE "batchId" = ${batchId} AND status IN ('queued', 'running') RETURNING id, status::text`;
  }
  if (status === "active") {
    return tx.$queryRaw`
      UPDATE "GenerationJob" SET status = 'queued', "heartbeatAt" = NULL
      WHERE "batchId" = ${batchId} AND status = 'paused' RETURNING id, status::text`;
  }
  if (status === "closed") {
    return tx.$queryRaw`
      UPDATE "GenerationJob" SET status = 'cancelled', "workerId" = NULL, "finishedAt" = ${new Date()}
      WHERE "batchId" = ${batchId} AND status IN ('queued', 'running', 'paused') RETURNING id, status::text`;
  }
  return [];
}

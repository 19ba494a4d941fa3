// Puts the failed items of a generation job back to pending and runs the job again. The items keep the plan
// drawn when the job started: a retry samples the same pairing, temperatures and seeds.
import { db } from "../db";
import { AppError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Actor } from "../auth/permissions";
import { toGenerationJobView, type GenerationJobView } from "./job-view";
import { requestGenerationRun } from "./run-generation-job";

export async function retryFailedItems(actor: Actor, jobId: string): Promise<GenerationJobView> {
  requirePermission(actor, "batches.write");
  const job = await db.$transaction(async (tx) => {
    // The job row lock orders this with a worker deciding the job is finished.
    const [locked] = await tx.$queryRaw<{ id: string; batchId: string; status: string }[]>`
      SELECT j.id, j."batchId", j.status FROM "GenerationJob" j WHERE j.id = ${jobId} FOR UPDATE`;
    if (!locked) throw new AppError("not_found", `No generation job with id ${jobId}.`);
    const batch = await tx.batch.findUniqueOrThrow({ where: { id: locked.batchId }, select: { status: true } });
    if (batch.status === "closed") throw new AppError("conflict", "This batch is closed; nothing is generated for it any more.");
    if (batch.status === "paused") throw new AppError("conflict", "This batch is paused, and its generation with it; resume the batch to retry.");
    const latest = await tx.generationJob.findFirstOrThrow({ where: { batchId: locked.batchId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    if (latest.id !== jobId) throw new AppError("conflict", `A newer generation job (${latest.id}) exists for this batch; retry that one.`);
    // Attempts go on counting: they are the HTTP requests ever sent for the item.
    const reset = await tx.generationItem.updateMany({ where: { jobId, status: "failed" }, data: { status: "pending", error: null } });
    if (reset.count === 0) throw new AppError("conflict", "This generation job has no failed items to retry.");
    const finished = locked.status !== "queued" && locked.status !== "running";
    const updated = await tx.generationJob.update({
      where: { id: jobId },
      data: { failed: { decrement: reset.count }, ...(finished ? { status: "queued", finishedAt: null } : {}) },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "generation.retry",
      entityType: "batch",
      entityId: locked.batchId,
      before: { jobId, status: locked.status, failed: reset.count },
      after: { jobId, status: updated.status, retried: reset.count },
    });
    return updated;
  });
  requestGenerationRun(job.id);
  return toGenerationJobView(job);
}

/** The API's door: retries the failed items of the batch's latest job. */
export async function retryFailedGeneration(actor: Actor, batchId: string): Promise<GenerationJobView> {
  requirePermission(actor, "batches.write");
  const batch = await db.batch.findUnique({ where: { id: batchId }, select: { id: true } });
  if (!batch) throw new AppError("not_found", `No batch with id ${batchId}.`);
  const latest = await db.generationJob.findFirst({ where: { batchId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
  if (!latest) throw new AppError("not_found", "This batch has no generation job yet; start one with POST /api/v1/batches/{id}/generate.");
  return retryFailedItems(actor, latest.id);
}

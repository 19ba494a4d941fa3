// Starts sampling the missing responses of a batch: one GenerationItem per comparison without responses, its
// pairing (two different variants, a temperature from each one's range, a seed each) drawn once: here, or, for a
// prompt an earlier job already drew (it failed, or its job ended first), that earlier draw, as long as both of its
// variants can still answer for the batch. Idempotent: while a job of the batch is queued or running, starting
// again returns that job.
import { db } from "../db";
import { AppError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Actor } from "../auth/permissions";
import { drawSamplingPlan, type PlannedSlot, type PlanVariant } from "@/lib/sampling-plan";
import type { Prisma } from "../db";
import type { DefaultSampling } from "../model-variants/schemas";
import { toGenerationJobView, type GenerationJobView } from "./job-view";
import { requestGenerationRun } from "./run-generation-job";

const ITEMS_PER_INSERT = 1000;

export async function startGeneration(actor: Actor, batchId: string): Promise<GenerationJobView> {
  requirePermission(actor, "batches.write");
  const job = await db.$transaction(
    async (tx) => {
      // The batch row lock makes concurrent starts queue up, so a batch never gets two live jobs.
      const [batch] = await tx.$queryRaw<{ id: string; status: string }[]>`SELECT id, status FROM "Batch" WHERE id = ${batchId} FOR UPDATE`;
      if (!batch) throw new AppError("not_found", `No batch with id ${batchId}.`);
      if (batch.status === "closed") throw new AppError("conflict", "This batch is closed; nothing is generated for it any more.");
      if (batch.status === "paused")
        throw new AppError("conflict", "This batch is paused, and its generation with it; resume the batch to generate.");
      const live = await tx.generationJob.findFirst({
        where: { batchId, status: { in: ["queued", "running"] } },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      });
      if (live) return live;

      const links = await tx.batchModelVariant.findMany({ where: { batchId }, include: { modelVariant: true } });
      const variants = links.map((l) => l.modelVariant).filter((v) => v.active && v.baseUrl && v.modelId);
      if (variants.length < 2) {
        throw new AppError(
          "conflict",
          `Generation needs at least two active model variants with an endpoint on this batch (it has ${variants.length}); ` +
            "choose them with PUT /api/v1/batches/{id}/model-variants.",
        );
      }
      const lacking = await tx.$queryRaw<{ id: string }[]>`
        SELECT c.id FROM "Comparison" c
        WHERE c."batchId" = ${batchId} AND NOT EXISTS (SELECT 1 FROM "Response" r WHERE r."comparisonId" = c.id)
        ORDER BY c.seq`;
      if (lacking.length === 0)
        throw new AppError("conflict", "Every comparison of this batch already has its responses; there is nothing to generate.");

      const planVariants: PlanVariant[] = variants.map((v) => ({
        id: v.id,
        temperatureMin: v.temperatureMin,
        temperatureMax: v.temperatureMax,
        defaultTemperature: (v.defaultSampling as DefaultSampling).temperature ?? null,
      }));
      const earlier = await earlierDraws(tx, batchId, new Set(planVariants.map((v) => v.id)));
      const created = await tx.generationJob.create({ data: { batchId, total: lacking.length, createdById: actor.id } });
      for (let i = 0; i < lacking.length; i += ITEMS_PER_INSERT) {
        await tx.generationItem.createMany({
          data: lacking.slice(i, i + ITEMS_PER_INSERT).map((c) => ({
            jobId: created.id,
            comparisonId: c.id,
            plan: earlier.get(c.id) ?? drawSamplingPlan(planVariants),
          })),
        });
      }
      await recordAudit(tx, {
        actorId: actor.id,
        action: "generation.start",
        entityType: "batch",
        entityId: batchId,
        after: {
          jobId: created.id,
          total: lacking.length,
          modelVariantIds: planVariants.map((v) => v.id),
          ...(earlier.size > 0 ? { keptDraws: earlier.size } : {}),
        },
      });
      return created;
    },
    { timeout: 10 * 60_000, maxWait: 30_000 },
  );
  requestGenerationRun(job.id);
  return toGenerationJobView(job);
}

/**
 * The latest draw of each comparison of the batch that an earlier job drew and never stored (its item failed, or
 * its job ended before it), when both of its variants are still usable here: generating again samples the same
 * pairing, temperatures and seeds, as a retry does. Comparisons with responses are not asked for.
 */
async function earlierDraws(tx: Prisma.TransactionClient, batchId: string, usable: Set<string>): Promise<Map<string, PlannedSlot[]>> {
  const rows = await tx.$queryRaw<{ comparisonId: string; plan: PlannedSlot[] }[]>`
    SELECT DISTINCT ON (gi."comparisonId") gi."comparisonId", gi.plan
    FROM "GenerationJob" j JOIN "GenerationItem" gi ON gi."jobId" = j.id
    WHERE j."batchId" = ${batchId} AND gi.status <> 'done'
    ORDER BY gi."comparisonId", j."createdAt" DESC, j.id DESC`;
  return new Map(rows.filter((r) => r.plan.every((slot) => usable.has(slot.modelVariantId))).map((r) => [r.comparisonId, r.plan]));
}

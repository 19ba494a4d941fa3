// Moves a batch through its lifecycle: draft → active ⇄ paused → closed. An imported batch becomes active only when
// every comparison has its two responses; an annotator-written one (no imported comparisons, answered live) only
// when at least two active model variants with an endpoint can answer its prompts.
import { db } from "../db";
import { AppError, parseInput } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Actor } from "../auth/permissions";
import { setBatchStatusSchema } from "./schemas";
import { countComparisons } from "./comparison-counts";
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
  return db.$transaction(async (tx) => {
    const [batch] = await tx.$queryRaw<{ id: string; status: BatchStatus; promptSource: "imported" | "annotator_written" }[]>`
      SELECT id, status, "promptSource" FROM "Batch" WHERE id = ${batchId} FOR UPDATE`;
    if (!batch) throw new AppError("not_found", `No batch with id ${batchId}.`);
    if (batch.status === status) return { id: batch.id, status };
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
    } else if (status === "active") {
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
    await recordAudit(tx, {
      actorId: actor.id,
      action: "batch.status",
      entityType: "batch",
      entityId: batchId,
      before: { status: batch.status },
      after: { status },
    });
    return { id: batchId, status };
  });
}

// Changes a batch's name and, for safety batches, the risk categories and attack vectors annotators pick from.
import { db } from "../db";
import { AppError, parseInput } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Actor } from "../auth/permissions";
import { updateBatchSchema } from "./schemas";
import type { AttackVector, RiskCategory } from "@/lib/protocol";

export type BatchSettings = { id: string; name: string; riskCategories: RiskCategory[]; attackVectors: AttackVector[] };

export async function updateBatch(actor: Actor, batchId: string, input: unknown): Promise<BatchSettings> {
  requirePermission(actor, "batches.write");
  const patch = parseInput(updateBatchSchema, input);
  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Batch" WHERE id = ${batchId} FOR UPDATE`;
    if (!locked) throw new AppError("not_found", `No batch with id ${batchId}.`);
    const before = await tx.batch.findUniqueOrThrow({ where: { id: batchId } });
    if (before.status === "closed") throw new AppError("conflict", "This batch is closed; its settings can no longer change.");
    if (before.focus !== "safety" && (patch.riskCategories || patch.attackVectors)) {
      const path = patch.riskCategories ? "riskCategories" : "attackVectors";
      throw new AppError("invalid_input", `${path}: only safety batches have risk categories and attack vectors`, {
        issues: [{ path, message: "only safety batches have risk categories and attack vectors" }],
      });
    }
    const settings = (row: typeof before): BatchSettings => ({
      id: row.id,
      name: row.name,
      riskCategories: row.riskCategories,
      attackVectors: row.attackVectors,
    });
    const after = await tx.batch.update({ where: { id: batchId }, data: patch });
    // Only what changed goes into the audit entry; a PATCH that changes nothing records nothing.
    const changed = (Object.keys(patch) as (keyof typeof patch)[]).filter(
      (key) => JSON.stringify(settings(before)[key]) !== JSON.stringify(settings(after)[key]),
    );
    if (changed.length > 0) {
      await recordAudit(tx, {
        actorId: actor.id,
        action: "batch.update",
        entityType: "batch",
        entityId: batchId,
        before: Object.fromEntries(changed.map((key) => [key, settings(before)[key]])),
        after: Object.fromEntries(changed.map((key) => [key, settings(after)[key]])),
      });
    }
    return settings(after);
  });
}

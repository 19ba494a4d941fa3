// Creates a batch in draft with version 1 of its guidelines.
import { db } from "../db";
import { parseInput } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Actor } from "../auth/permissions";
import { createBatchSchema } from "./schemas";

export async function createBatch(actor: Actor, input: unknown): Promise<{ id: string }> {
  requirePermission(actor, "batches.write");
  const data = parseInput(createBatchSchema, input);
  // Safety batches require per-response safety labels unless the admin says otherwise.
  const requireSafety = data.requireSafety ?? data.focus === "safety";
  return db.$transaction(async (tx) => {
    const batch = await tx.batch.create({
      data: {
        name: data.name,
        focus: data.focus,
        overlap: data.overlap,
        requireSafety,
        leaseSeconds: data.leaseSeconds,
        promptSource: data.promptSource,
        maxTurns: data.maxTurns,
        riskCategories: data.riskCategories,
        attackVectors: data.attackVectors,
        createdById: actor.id,
        guidelineVersions: { create: { version: 1, markdown: data.guidelines } },
      },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "batch.create",
      entityType: "batch",
      entityId: batch.id,
      after: {
        name: batch.name,
        focus: batch.focus,
        overlap: batch.overlap,
        requireSafety,
        leaseSeconds: batch.leaseSeconds,
        promptSource: batch.promptSource,
        maxTurns: batch.maxTurns,
        ...(batch.focus === "safety" ? { riskCategories: batch.riskCategories, attackVectors: batch.attackVectors } : {}),
        guidelinesVersion: 1,
      },
    });
    return { id: batch.id };
  });
}

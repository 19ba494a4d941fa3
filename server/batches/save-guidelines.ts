// Saves a batch's guidelines as a NEW version (latest + 1); earlier versions are never edited, so every judgement
// keeps pointing at the text its annotator was shown.
import { db } from "../db";
import { AppError, parseInput } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Actor } from "../auth/permissions";
import { saveGuidelinesSchema } from "./schemas";

export type SavedGuidelines = { batchId: string; id: string; version: number; createdAt: string; created: boolean };

export async function saveGuidelines(actor: Actor, batchId: string, input: unknown): Promise<SavedGuidelines> {
  requirePermission(actor, "batches.write");
  const { markdown } = parseInput(saveGuidelinesSchema, input);
  return db.$transaction(async (tx) => {
    // The batch row lock makes concurrent saves take consecutive version numbers.
    const [batch] = await tx.$queryRaw<{ id: string; status: string }[]>`SELECT id, status FROM "Batch" WHERE id = ${batchId} FOR UPDATE`;
    if (!batch) throw new AppError("not_found", `No batch with id ${batchId}.`);
    if (batch.status === "closed") throw new AppError("conflict", "This batch is closed; its guidelines can no longer change.");
    const latest = await tx.guidelineVersion.findFirstOrThrow({ where: { batchId }, orderBy: { version: "desc" } });
    // Saving the same text again adds nothing: no empty version, no audit entry.
    if (latest.markdown === markdown) {
      return { batchId, id: latest.id, version: latest.version, createdAt: latest.createdAt.toISOString(), created: false };
    }
    const saved = await tx.guidelineVersion.create({ data: { batchId, version: latest.version + 1, markdown } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "batch.guidelines",
      entityType: "batch",
      entityId: batchId,
      before: { version: latest.version, markdown: latest.markdown },
      after: { version: saved.version, markdown: saved.markdown },
    });
    return { batchId, id: saved.id, version: saved.version, createdAt: saved.createdAt.toISOString(), created: true };
  });
}

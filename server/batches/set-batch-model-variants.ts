// Chooses the model variants a batch samples from: at least two, active, each with an endpoint.
import { db } from "../db";
import { AppError, parseInput } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Actor } from "../auth/permissions";
import { setBatchModelVariantsSchema } from "./schemas";

export type BatchModelVariants = { batchId: string; modelVariants: { id: string; name: string; version: string }[] };

export async function setBatchModelVariants(actor: Actor, batchId: string, input: unknown): Promise<BatchModelVariants> {
  requirePermission(actor, "batches.write");
  const { modelVariantIds } = parseInput(setBatchModelVariantsSchema, input);
  return db.$transaction(async (tx) => {
    const [batch] = await tx.$queryRaw<{ id: string; status: string }[]>`SELECT id, status FROM "Batch" WHERE id = ${batchId} FOR UPDATE`;
    if (!batch) throw new AppError("not_found", `No batch with id ${batchId}.`);
    if (batch.status === "closed") throw new AppError("conflict", "This batch is closed; its model variants can no longer change.");
    const variants = await tx.modelVariant.findMany({ where: { id: { in: modelVariantIds } } });
    const problems = modelVariantIds.flatMap((id, i) => {
      const variant = variants.find((v) => v.id === id);
      if (!variant) return [{ path: `modelVariantIds.${i}`, message: `no model variant with id ${id}` }];
      if (!variant.active) return [{ path: `modelVariantIds.${i}`, message: `${variant.name} ${variant.version} is inactive` }];
      if (!variant.baseUrl || !variant.modelId) {
        return [{ path: `modelVariantIds.${i}`, message: `${variant.name} ${variant.version} has no endpoint (baseUrl and modelId) to sample from` }];
      }
      return [];
    });
    if (problems.length > 0) {
      throw new AppError("invalid_input", problems.map((p) => `${p.path}: ${p.message}`).join("; "), { issues: problems });
    }
    const before = await tx.batchModelVariant.findMany({ where: { batchId }, select: { modelVariantId: true } });
    await tx.batchModelVariant.deleteMany({ where: { batchId } });
    await tx.batchModelVariant.createMany({ data: modelVariantIds.map((modelVariantId) => ({ batchId, modelVariantId })) });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "batch.model_variants",
      entityType: "batch",
      entityId: batchId,
      before: { modelVariantIds: before.map((b) => b.modelVariantId) },
      after: { modelVariantIds },
    });
    const ordered = modelVariantIds.map((id) => variants.find((v) => v.id === id)!);
    return { batchId, modelVariants: ordered.map((v) => ({ id: v.id, name: v.name, version: v.version })) };
  });
}

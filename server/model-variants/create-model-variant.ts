// Registers a model variant with its OpenAI-compatible endpoint. The API key stays in the environment.
import { db } from "../db";
import { AppError, parseInput } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Actor } from "../auth/permissions";
import { createModelVariantSchema } from "./schemas";
import { modelVariantSettings, toModelVariantView, type ModelVariantView } from "./model-variant-view";

export async function createModelVariant(actor: Actor, input: unknown): Promise<ModelVariantView> {
  requirePermission(actor, "model-variants.write");
  const data = parseInput(createModelVariantSchema, input);
  return db.$transaction(async (tx) => {
    const existing = await tx.modelVariant.findUnique({ where: { name_version: { name: data.name, version: data.version } } });
    if (existing) {
      throw new AppError(
        "conflict",
        `A model variant ${data.name}${data.version ? ` ${data.version}` : ""} already exists (id ${existing.id}); change it with PATCH.`,
      );
    }
    const row = await tx.modelVariant.create({ data });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "model_variant.create",
      entityType: "model_variant",
      entityId: row.id,
      after: modelVariantSettings(row),
    });
    return toModelVariantView(row);
  });
}

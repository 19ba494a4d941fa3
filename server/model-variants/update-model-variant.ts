// Changes a model variant's settings, PATCH style: fields left out keep their value, null clears one.
import { db } from "../db";
import { AppError, parseInput } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Actor } from "../auth/permissions";
import { temperatureRangeProblem, updateModelVariantSchema } from "./schemas";
import { modelVariantSettings, toModelVariantView, type ModelVariantView } from "./model-variant-view";

export async function updateModelVariant(actor: Actor, modelVariantId: string, input: unknown): Promise<ModelVariantView> {
  requirePermission(actor, "model-variants.write");
  const patch = parseInput(updateModelVariantSchema, input);
  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "ModelVariant" WHERE id = ${modelVariantId} FOR UPDATE`;
    if (!locked) throw new AppError("not_found", `No model variant with id ${modelVariantId}.`);
    const before = await tx.modelVariant.findUniqueOrThrow({ where: { id: modelVariantId } });
    // The range is a property of the merged settings: a patch may move one bound only.
    const problem = temperatureRangeProblem({
      temperatureMin: patch.temperatureMin === undefined ? before.temperatureMin : patch.temperatureMin,
      temperatureMax: patch.temperatureMax === undefined ? before.temperatureMax : patch.temperatureMax,
    });
    if (problem) throw new AppError("invalid_input", `${problem.path}: ${problem.message}`, { issues: [problem] });
    const name = patch.name ?? before.name;
    const version = patch.version ?? before.version;
    if (name !== before.name || version !== before.version) {
      const clash = await tx.modelVariant.findUnique({ where: { name_version: { name, version } } });
      if (clash) throw new AppError("conflict", `A model variant ${name}${version ? ` ${version}` : ""} already exists (id ${clash.id}).`);
    }
    const after = await tx.modelVariant.update({ where: { id: modelVariantId }, data: patch });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "model_variant.update",
      entityType: "model_variant",
      entityId: modelVariantId,
      before: modelVariantSettings(before),
      after: modelVariantSettings(after),
    });
    return toModelVariantView(after);
  });
}

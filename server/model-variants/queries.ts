// Reads of model variants for the console and the API; each checks permission first.
import { db } from "../db";
import { AppError } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { toModelVariantView, type ModelVariantView } from "./model-variant-view";

export async function listModelVariants(actor: Actor): Promise<ModelVariantView[]> {
  requirePermission(actor, "batches.read");
  const rows = await db.modelVariant.findMany({ orderBy: [{ name: "asc" }, { version: "asc" }] });
  return rows.map(toModelVariantView);
}

export async function getModelVariant(actor: Actor, modelVariantId: string): Promise<ModelVariantView> {
  requirePermission(actor, "batches.read");
  const row = await db.modelVariant.findUnique({ where: { id: modelVariantId } });
  if (!row) throw new AppError("not_found", `No model variant with id ${modelVariantId}.`);
  return toModelVariantView(row);
}

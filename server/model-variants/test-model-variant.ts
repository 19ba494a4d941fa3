// "Test connection": one tiny completion against the variant's endpoint, reporting latency or the endpoint's error.
import { db } from "../db";
import { AppError } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { testConnection, type ConnectionReport } from "./model-client";

export async function testModelVariant(actor: Actor, modelVariantId: string): Promise<ConnectionReport> {
  requirePermission(actor, "model-variants.write");
  const variant = await db.modelVariant.findUnique({ where: { id: modelVariantId } });
  if (!variant) throw new AppError("not_found", `No model variant with id ${modelVariantId}.`);
  return testConnection(variant);
}

// The draw of one written turn, kept with its comparison (sourceMetadata, never shown to annotators): each slot's
// model variant, temperature and seed (lib/sampling-plan.ts) and which slot is shown on the left. Drawn once, when
// the turn starts, so a retry samples a failed side again with the same variant, temperature and seed, and the
// columns the responses stream into are the left/right order the writer's assignment records.
import { z } from "zod";
import type { Prisma } from "../db";
import { AppError } from "../errors";
import type { DefaultSampling } from "../model-variants/schemas";
import { drawSamplingPlan, type PlanVariant, type SamplingPlan } from "@/lib/sampling-plan";
import { drawScreenOrder } from "@/lib/screen-order";
import type { Side } from "@/lib/protocol";

export type Slot = 0 | 1;
export type TurnPlan = { source: "annotator_written"; slots: SamplingPlan; leftSlot: Slot };

const plannedSlot = z.object({ modelVariantId: z.string(), temperature: z.number().nullable(), seed: z.number().int() });
const turnPlanSchema = z.object({
  source: z.literal("annotator_written"),
  slots: z.tuple([plannedSlot, plannedSlot]),
  leftSlot: z.union([z.literal(0), z.literal(1)]),
});

export function readTurnPlan(sourceMetadata: unknown, comparisonId: string): TurnPlan {
  const parsed = turnPlanSchema.safeParse(sourceMetadata);
  if (!parsed.success)
    throw new AppError("conflict", `Comparison ${comparisonId} is not a turn written by an annotator; nothing is sampled for it here.`);
  return parsed.data;
}

export function slotOfSide(plan: TurnPlan, side: Side): Slot {
  return side === "left" ? plan.leftSlot : ((1 - plan.leftSlot) as Slot);
}

export function sideOfSlot(plan: TurnPlan, slot: number): Side {
  return slot === plan.leftSlot ? "left" : "right";
}

/** Two different variants of the batch (active, with an endpoint), temperatures from their ranges, seeds, screen order. */
export async function drawTurnPlan(tx: Prisma.TransactionClient, batchId: string): Promise<TurnPlan> {
  const links = await tx.batchModelVariant.findMany({
    where: { batchId, modelVariant: { active: true, baseUrl: { not: null }, modelId: { not: null } } },
    include: { modelVariant: true },
    orderBy: { modelVariantId: "asc" },
  });
  if (links.length < 2) {
    throw new AppError(
      "conflict",
      `This batch needs at least two active model variants with an endpoint to answer a prompt (it has ${links.length}); ask an admin to choose them.`,
    );
  }
  const variants: PlanVariant[] = links.map(({ modelVariant: v }) => ({
    id: v.id,
    temperatureMin: v.temperatureMin,
    temperatureMax: v.temperatureMax,
    defaultTemperature: (v.defaultSampling as DefaultSampling).temperature ?? null,
  }));
  return { source: "annotator_written", slots: drawSamplingPlan(variants), leftSlot: drawScreenOrder<Slot>(0, 1).left };
}

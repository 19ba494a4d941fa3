// Generating a batch again keeps the draw of every prompt an earlier job drew and did not store (a failed item):
// the same pairing, temperatures and seeds, as a retry does; a draw whose variant left the batch is drawn afresh.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { setBatchModelVariants } from "@/server/batches/set-batch-model-variants";
import { startGeneration } from "@/server/generation/start-generation";
import type { PlannedSlot } from "@/lib/sampling-plan";
import { makeUser } from "../fixtures";
import { makePromptsBatch, makeVariant, withFakeModelServer, waitForJob } from "../generation-fixtures";

const server = withFakeModelServer({ retries: 1 });

async function plansOf(jobId: string): Promise<Map<string, PlannedSlot[]>> {
  const items = await db.generationItem.findMany({ where: { jobId } });
  return new Map(items.map((i) => [i.comparisonId, i.plan as PlannedSlot[]]));
}

describe("starting generation again", () => {
  it("samples the prompts that failed with the draw they had", async () => {
    const admin = await makeUser("admin");
    const broken = await makeVariant(admin, server().url, { temperatureMin: 0.1, temperatureMax: 0.9 });
    const [b, c] = [await makeVariant(admin, server().url, { temperatureMin: 0.5, temperatureMax: 1.5 }), await makeVariant(admin, server().url)];
    const batchId = await makePromptsBatch(admin, 24, [broken.id, b.id, c.id], "again ");
    server().fail(500, Infinity, broken.modelId!);
    const first = await startGeneration(admin, batchId);
    const ended = await waitForJob(first.id);
    expect(ended.failed).toBeGreaterThan(0);
    const firstPlans = await plansOf(first.id);
    const failed = await db.generationItem.findMany({ where: { jobId: first.id, status: "failed" } });

    server().reset();
    const second = await startGeneration(admin, batchId);
    expect(second.id).not.toBe(first.id);
    expect(second.total).toBe(failed.length);
    expect(await waitForJob(second.id)).toMatchObject({ status: "done", done: failed.length, failed: 0 });
    const secondPlans = await plansOf(second.id);
    for (const item of failed) {
      expect(secondPlans.get(item.comparisonId)).toEqual(firstPlans.get(item.comparisonId));
      const stored = await db.response.findMany({ where: { comparisonId: item.comparisonId }, orderBy: { slot: "asc" } });
      expect(stored.map((r) => [r.modelVariantId, (r.sampling as { seed: number }).seed])).toEqual(
        firstPlans.get(item.comparisonId)!.map((s) => [s.modelVariantId, s.seed]),
      );
    }
    const audit = await db.auditEntry.findFirstOrThrow({ where: { entityId: batchId, action: "generation.start" }, orderBy: { createdAt: "desc" } });
    expect(audit.after).toMatchObject({ jobId: second.id, total: failed.length, keptDraws: failed.length });
  });

  it("draws afresh for a prompt whose drawn variant is no longer on the batch", async () => {
    const admin = await makeUser("admin");
    const broken = await makeVariant(admin, server().url);
    const [b, c] = [await makeVariant(admin, server().url), await makeVariant(admin, server().url)];
    const batchId = await makePromptsBatch(admin, 12, [broken.id, b.id, c.id], "swapped ");
    server().fail(500, Infinity, broken.modelId!);
    const first = await startGeneration(admin, batchId);
    await waitForJob(first.id);
    const failed = await db.generationItem.count({ where: { jobId: first.id, status: "failed" } });
    expect(failed).toBeGreaterThan(0);

    server().reset();
    await setBatchModelVariants(admin, batchId, { modelVariantIds: [b.id, c.id] });
    const second = await startGeneration(admin, batchId);
    expect(await waitForJob(second.id)).toMatchObject({ status: "done", done: failed, failed: 0 });
    for (const plan of (await plansOf(second.id)).values()) {
      expect(plan.map((s) => s.modelVariantId).sort()).toEqual([b.id, c.id].sort());
    }
  });
});

// Reads of batches for the console and the exports page; each checks permission first.
import { db } from "../db";
import { AppError } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";

export type BatchSummary = {
  id: string;
  name: string;
  focus: "helpfulness" | "safety";
  status: "draft" | "active" | "paused" | "closed";
  overlap: number;
  requireSafety: boolean;
  comparisons: number;
  judgements: number;
  percentComplete: number;
  createdAt: string;
};

export async function listBatches(actor: Actor): Promise<BatchSummary[]> {
  requirePermission(actor, "batches.read");
  const rows = await db.$queryRaw<
    { id: string; name: string; focus: BatchSummary["focus"]; status: BatchSummary["status"]; overlap: number; requireSafety: boolean; comparisons: bigint; judgements: bigint; createdAt: Date }[]
  >`
    SELECT b.id, b.name, b.focus, b.status, b.overlap, b."requireSafety", b."createdAt",
           (SELECT count(*) FROM "Comparison" c WHERE c."batchId" = b.id) AS comparisons,
           (SELECT count(*) FROM "Judgement" j JOIN "Comparison" c ON c.id = j."comparisonId" WHERE c."batchId" = b.id) AS judgements
    FROM "Batch" b ORDER BY b."createdAt" DESC`;
  return rows.map((row) => {
    const comparisons = Number(row.comparisons);
    const judgements = Number(row.judgements);
    const wanted = comparisons * row.overlap;
    return {
      id: row.id,
      name: row.name,
      focus: row.focus,
      status: row.status,
      overlap: row.overlap,
      requireSafety: row.requireSafety,
      comparisons,
      judgements,
      percentComplete: wanted === 0 ? 0 : Math.min(100, Math.round((judgements / wanted) * 1000) / 10),
      createdAt: row.createdAt.toISOString(),
    };
  });
}

export async function getBatch(actor: Actor, batchId: string) {
  requirePermission(actor, "batches.read");
  const batch = await db.batch.findUnique({
    where: { id: batchId },
    include: {
      guidelineVersions: { orderBy: { version: "desc" }, take: 1 },
      imports: { orderBy: { createdAt: "desc" }, take: 20 },
    },
  });
  if (!batch) throw new AppError("not_found", `No batch with id ${batchId}.`);
  const summary = (await listBatches(actor)).find((b) => b.id === batchId)!;
  return { ...summary, promptSource: batch.promptSource, guidelines: batch.guidelineVersions[0], imports: batch.imports };
}

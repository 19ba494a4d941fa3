// Reads of generation progress for the batch page and the API; each checks permission first.
import { db } from "../db";
import { AppError } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { countComparisons } from "../batches/comparison-counts";
import { toGenerationJobView, type GenerationJobView } from "./job-view";

const MAX_LISTED_ERRORS = 100;

export type GenerationItemError = { itemId: string; comparisonId: string; prompt: string; error: string; attempts: number };

export type GenerationStatus = {
  batchId: string;
  comparisons: number;
  /** Comparisons without their two responses: what activation waits for. */
  lackingResponses: number;
  modelVariants: { id: string; name: string; version: string; active: boolean; live: boolean }[];
  /** The batch's latest job, with the first failed items; null before the first generation. */
  job: (GenerationJobView & { errors: GenerationItemError[] }) | null;
};

export async function getGenerationStatus(actor: Actor, batchId: string): Promise<GenerationStatus> {
  requirePermission(actor, "batches.read");
  const batch = await db.batch.findUnique({
    where: { id: batchId },
    select: { id: true, modelVariants: { select: { modelVariant: true } } },
  });
  if (!batch) throw new AppError("not_found", `No batch with id ${batchId}.`);
  // The job first, then the counts: a job read as finished is never paired with counts from before its last
  // item committed (the page stops polling once the job is finished, so stale counts would stay on screen).
  const job = await db.generationJob.findFirst({ where: { batchId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  const counts = await countComparisons(db, batchId);
  const failed = job
    ? await db.generationItem.findMany({
        where: { jobId: job.id, status: "failed" },
        select: { id: true, comparisonId: true, error: true, attempts: true, comparison: { select: { prompt: true, seq: true } } },
        orderBy: { comparison: { seq: "asc" } },
        take: MAX_LISTED_ERRORS,
      })
    : [];
  return {
    batchId,
    ...counts,
    modelVariants: batch.modelVariants.map(({ modelVariant: v }) => ({
      id: v.id,
      name: v.name,
      version: v.version,
      active: v.active,
      live: v.baseUrl !== null && v.modelId !== null,
    })),
    job: job
      ? {
          ...toGenerationJobView(job),
          errors: failed.map((item) => ({
            itemId: item.id,
            comparisonId: item.comparisonId,
            prompt: item.comparison.prompt.slice(0, 200),
            error: item.error ?? "",
            attempts: item.attempts,
          })),
        }
      : null,
  };
}

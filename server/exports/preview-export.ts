// What an export would hold, before downloading it: counts per degree, safety bin and split, and the
// Table 6 statistics. Exact up to PREVIEW_LIMIT judgements; above that only the judgement count is given,
// and the full statistics come with the saved dataset's manifest.
import type { Actor } from "../auth/permissions";
import { ExportStatsCollector, type ExportStats } from "@/lib/export-stats";
import { fillTokenCounts } from "./fill-token-counts";
import { prepareExport } from "./prepare-export";

export const PREVIEW_LIMIT = 20_000;

export type ExportPreview = { judgements: number; filename: string; stats: ExportStats | null; limit: number };

export async function previewExport(actor: Actor, input: unknown): Promise<ExportPreview> {
  const prepared = await prepareExport(actor, input);
  const judgements = await prepared.countJudgements();
  if (judgements > PREVIEW_LIMIT) return { judgements, filename: prepared.filename, stats: null, limit: PREVIEW_LIMIT };
  await fillTokenCounts(prepared.filters, null);
  const stats = new ExportStatsCollector();
  for await (const batch of prepared.entryBatches({ stats })) void batch;
  return { judgements, filename: prepared.filename, stats: stats.result(), limit: PREVIEW_LIMIT };
}

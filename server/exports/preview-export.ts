// What an export would hold, before downloading it: counts per degree, safety bin and split, and the
// Table 6 statistics. Exact up to PREVIEW_LIMIT judgements; above that, estimated from a deterministic sample
// of whole dialogues holding about PREVIEW_LIMIT judgements (counts scaled up, averages as measured). A saved
// dataset's manifest has the exact figures.
import type { Actor } from "../auth/permissions";
import { ExportStatsCollector, scaleStats, type ExportStats } from "@/lib/export-stats";
import { fillTokenCounts } from "./fill-token-counts";
import { prepareExport, type PreparedExport } from "./prepare-export";

export const PREVIEW_LIMIT = 20_000;

export type ExportPreview = {
  judgements: number;
  filename: string;
  stats: ExportStats | null;
  limit: number;
  /** Set when `stats` are estimated: the judgements of the sample they were measured on. */
  sample: { judgements: number } | null;
};

async function measure(prepared: PreparedExport): Promise<ExportStats> {
  await fillTokenCounts(prepared.filters, null);
  const stats = new ExportStatsCollector();
  for await (const batch of prepared.entryBatches({ stats })) void batch;
  return stats.result();
}

export async function previewExport(actor: Actor, input: unknown, limit = PREVIEW_LIMIT): Promise<ExportPreview> {
  const prepared = await prepareExport(actor, input);
  const judgements = await prepared.countJudgements();
  const base = { judgements, filename: prepared.filename, limit };
  if (judgements <= limit) return { ...base, stats: await measure(prepared), sample: null };
  const sample = prepared.sampled(limit / judgements);
  const sampled = await sample.countJudgements();
  // A selection of a few huge dialogues can leave the sample empty: then say only how many judgements.
  if (sampled === 0) return { ...base, stats: null, sample: null };
  return { ...base, stats: scaleStats(await measure(sample), judgements / sampled), sample: { judgements: sampled } };
}

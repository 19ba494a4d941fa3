// The one query behind every export: judgements joined with their comparison, responses and annotator,
// filtered, ordered so that every dialogue's rows, and every comparison's judgements, are adjacent
// (aggregation and Table 6 statistics then stream with constant memory), deterministic for snapshots.
import type { ExportFilters } from "./schemas";

export type ExportRow = {
  judgement_id: string;
  comparison_id: string;
  dialogue_id: string;
  turn_index: number;
  batch_id: string;
  batch_name: string;
  focus: "helpfulness" | "safety";
  guideline_version_id: string;
  context: { role: "system" | "user" | "assistant"; content: string }[];
  prompt: string;
  risk_category: string | null;
  attack_vector: string | null;
  tags: Record<string, unknown>;
  content_sha256: string;
  continued_with_response_id: string | null;
  chosen_response_id: string;
  chosen_safety: "safe" | "unsafe" | null;
  rejected_safety: "safe" | "unsafe" | null;
  degree: "significantly_better" | "better" | "slightly_better" | "negligibly_better_or_unsure";
  safety_bin: "chosen_safe_rejected_unsafe" | "both_safe" | "both_unsafe" | "chosen_unsafe_rejected_safe" | null;
  annotator_id: string;
  vendor: string | null;
  time_spent_ms: number;
  created_at: Date;
  left_response_id: string;
  r0_id: string;
  r0_content: string;
  r0_sampling: Record<string, unknown>;
  r0_model: string;
  r0_version: string;
  r0_tokens: number | null;
  r1_id: string;
  r1_content: string;
  r1_sampling: Record<string, unknown>;
  r1_model: string;
  r1_version: string;
  r1_tokens: number | null;
  context_tokens: number | null;
  prompt_tokens: number | null;
  n_judgements: string;
  chosen_votes: string;
};

export type SqlQuery = { text: string; values: unknown[] };

/** WHERE clauses shared by the export, its counts and the token-cache filler. `cutoff`: snapshots. */
export function exportWhere(filters: ExportFilters, cutoff: Date | null): SqlQuery {
  const clauses: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  if (filters.batches?.length) clauses.push(`c."batchId" = ANY(${param(filters.batches)}::text[])`);
  if (filters.focus) clauses.push(`b.focus = ${param(filters.focus)}::"BatchFocus"`);
  if (filters.from) clauses.push(`j."createdAt" >= ${param(filters.from)}`);
  if (filters.to) clauses.push(`j."createdAt" <= ${param(filters.to)}`);
  if (cutoff) clauses.push(`j."createdAt" <= ${param(cutoff)}`);
  if (filters.vendors?.length) clauses.push(`j."annotatorId" IN (SELECT u.id FROM "User" u JOIN "Vendor" v ON v.id = u."vendorId" WHERE v.name = ANY(${param(filters.vendors)}::text[]) OR v.id = ANY(${param(filters.vendors)}::text[]))`);
  return { text: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", values };
}

const FROM = `
  FROM "Judgement" j
  JOIN "Comparison" c ON c.id = j."comparisonId"
  JOIN "Batch" b ON b.id = c."batchId"`;

/**
 * Agreement counts are over the judgements the filters keep (vendor, dates, cutoff): what the export holds.
 * Degree and safety-bin filters apply after aggregation (lib/export-formats.ts), never here, so that a filter
 * cannot change which side a majority lands on.
 */
export function exportQuery(filters: ExportFilters, cutoff: Date | null): SqlQuery {
  const where = exportWhere(filters, cutoff);
  return {
    text: `
      SELECT j.id AS judgement_id, c.id AS comparison_id, c."dialogueId" AS dialogue_id, c."turnIndex" AS turn_index,
             b.id AS batch_id, b.name AS batch_name, b.focus::text AS focus, j."guidelineVersionId" AS guideline_version_id,
             c.context, c.prompt, c."riskCategory"::text AS risk_category, c."attackVector"::text AS attack_vector, c.tags,
             c."contentSha256" AS content_sha256, c."continuedWithResponseId" AS continued_with_response_id,
             j."chosenResponseId" AS chosen_response_id, j."chosenSafety"::text AS chosen_safety,
             j."rejectedSafety"::text AS rejected_safety, j.degree::text AS degree, j."safetyBin"::text AS safety_bin,
             j."annotatorId" AS annotator_id, v.name AS vendor, j."timeSpentMs" AS time_spent_ms, j."createdAt" AS created_at,
             a."leftResponseId" AS left_response_id,
             r0.id AS r0_id, r0.content AS r0_content, r0.sampling AS r0_sampling, m0.name AS r0_model, m0.version AS r0_version, r0."llamaTokens" AS r0_tokens,
             r1.id AS r1_id, r1.content AS r1_content, r1.sampling AS r1_sampling, m1.name AS r1_model, m1.version AS r1_version, r1."llamaTokens" AS r1_tokens,
             c."contextLlamaTokens" AS context_tokens, c."promptLlamaTokens" AS prompt_tokens,
             count(*) OVER (PARTITION BY j."comparisonId") AS n_judgements,
             count(*) OVER (PARTITION BY j."comparisonId", j."chosenResponseId") AS chosen_votes
      ${FROM}
      JOIN "Assignment" a ON a.id = j."assignmentId"
      JOIN "User" u ON u.id = j."annotatorId"
      LEFT JOIN "Vendor" v ON v.id = u."vendorId"
      JOIN "Response" r0 ON r0."comparisonId" = c.id AND r0.slot = 0
      JOIN "ModelVariant" m0 ON m0.id = r0."modelVariantId"
      JOIN "Response" r1 ON r1."comparisonId" = c.id AND r1.slot = 1
      JOIN "ModelVariant" m1 ON m1.id = r1."modelVariantId"
      ${where.text}
      ORDER BY c."dialogueId", c."turnIndex", c.id, j."createdAt", j.id`,
    values: where.values,
  };
}

/** How many judgements the filters keep (before aggregation and the per-format rules): progress totals. */
export function exportCountQuery(filters: ExportFilters, cutoff: Date | null): SqlQuery {
  const where = exportWhere(filters, cutoff);
  return { text: `SELECT count(*) AS n ${FROM} ${where.text}`, values: where.values };
}

/** The focuses of the batches the filters reach: helpfulness and safety data never share a file. */
export function exportFocusQuery(filters: ExportFilters, cutoff: Date | null): SqlQuery {
  const where = exportWhere(filters, cutoff);
  return { text: `SELECT DISTINCT b.focus::text AS focus ${FROM} ${where.text}`, values: where.values };
}

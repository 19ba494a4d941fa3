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
  vendor_id: string | null;
  vendor: string | null;
  time_spent_ms: number;
  /** ISO 8601 in UTC (Prisma stores UTC in timestamp(3) columns), formatted by Postgres: cheaper than a Date per row. */
  created_at: string;
  left_response_id: string;
  r0_id: string;
  r0_model_id: string;
  r0_content: string;
  r0_sampling: Record<string, unknown>;
  r0_model: string;
  r0_version: string;
  r0_tokens: number | null;
  r1_id: string;
  r1_model_id: string;
  r1_content: string;
  r1_sampling: Record<string, unknown>;
  r1_model: string;
  r1_version: string;
  r1_tokens: number | null;
  context_tokens: number | null;
  prompt_tokens: number | null;
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
  // Timestamps are stored in UTC without a zone: compare with UTC ISO strings, never a driver-formatted Date.
  if (filters.from) clauses.push(`j."createdAt" >= ${param(filters.from.toISOString())}::timestamp`);
  if (filters.to) clauses.push(`j."createdAt" <= ${param(filters.to.toISOString())}::timestamp`);
  if (cutoff) clauses.push(`j."createdAt" <= ${param(cutoff.toISOString())}::timestamp`);
  // The vendor the annotator worked for when judging (Judgement.vendorId), not their vendor today.
  // Vendor ids (prepareExport resolves names).
  if (filters.vendors?.length) clauses.push(`j."vendorId" = ANY(${param(filters.vendors)}::text[])`);
  if (filters.sampleDialogues !== undefined) {
    // The first 16 bits of md5(dialogue id), out of 65,536: deterministic, the same in every Postgres.
    const below = Math.max(1, Math.round(filters.sampleDialogues * 65536));
    clauses.push(`('x' || left(md5(c."dialogueId"), 4))::bit(16)::int < ${param(below)}::int`);
  }
  return { text: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", values };
}

const FROM = `
  FROM "Judgement" j
  JOIN "Comparison" c ON c.id = j."comparisonId"
  JOIN "Batch" b ON b.id = c."batchId"`;

/** How a column arrives in COPY text format and becomes a value of ExportRow. */
export type ColumnKind = "text" | "int" | "json";

/** The export's columns, in SELECT order: [name in ExportRow, SQL expression, kind]. */
export const EXPORT_COLUMNS: readonly (readonly [keyof ExportRow, string, ColumnKind])[] = [
  ["judgement_id", `j.id`, "text"],
  ["comparison_id", `c.id`, "text"],
  ["dialogue_id", `c."dialogueId"`, "text"],
  ["turn_index", `c."turnIndex"`, "int"],
  ["batch_id", `b.id`, "text"],
  ["batch_name", `b.name`, "text"],
  ["focus", `b.focus::text`, "text"],
  ["guideline_version_id", `j."guidelineVersionId"`, "text"],
  ["context", `c.context`, "json"],
  ["prompt", `c.prompt`, "text"],
  ["risk_category", `c."riskCategory"::text`, "text"],
  ["attack_vector", `c."attackVector"::text`, "text"],
  ["tags", `c.tags`, "json"],
  ["content_sha256", `c."contentSha256"`, "text"],
  ["continued_with_response_id", `c."continuedWithResponseId"`, "text"],
  ["chosen_response_id", `j."chosenResponseId"`, "text"],
  ["chosen_safety", `j."chosenSafety"::text`, "text"],
  ["rejected_safety", `j."rejectedSafety"::text`, "text"],
  ["degree", `j.degree::text`, "text"],
  ["safety_bin", `j."safetyBin"::text`, "text"],
  ["annotator_id", `j."annotatorId"`, "text"],
  ["vendor_id", `j."vendorId"`, "text"],
  ["vendor", `v.name`, "text"],
  ["time_spent_ms", `j."timeSpentMs"`, "int"],
  ["created_at", `to_char(j."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`, "text"],
  ["left_response_id", `a."leftResponseId"`, "text"],
  ["r0_id", `r0.id`, "text"],
  ["r0_content", `r0.content`, "text"],
  ["r0_sampling", `r0.sampling`, "json"],
  ["r0_model_id", `m0.id`, "text"],
  ["r0_model", `m0.name`, "text"],
  ["r0_version", `m0.version`, "text"],
  ["r0_tokens", `r0."llamaTokens"`, "int"],
  ["r1_id", `r1.id`, "text"],
  ["r1_content", `r1.content`, "text"],
  ["r1_sampling", `r1.sampling`, "json"],
  ["r1_model_id", `m1.id`, "text"],
  ["r1_model", `m1.name`, "text"],
  ["r1_version", `m1.version`, "text"],
  ["r1_tokens", `r1."llamaTokens"`, "int"],
  ["context_tokens", `c."contextLlamaTokens"`, "int"],
  ["prompt_tokens", `c."promptLlamaTokens"`, "int"],
];

/** The columns a correction (undo) changes: server/tasks/revise-judgement.ts keeps their earlier values. */
const REVISABLE = new Set<keyof ExportRow>(["chosen_response_id", "chosen_safety", "rejected_safety", "degree", "safety_bin"]);

/** The first revision of each judgement after the cutoff, if any (almost always none: one index probe). */
function revisionAtCutoff(values: unknown[], cutoff: Date): string {
  values.push(cutoff.toISOString());
  return `LEFT JOIN LATERAL (
        SELECT r.id, r."chosenResponseId", r."chosenSafety", r."rejectedSafety", r.degree, r."safetyBin"
          FROM "JudgementRevision" r WHERE r."judgementId" = j.id AND r."revisedAt" > $${values.length}::timestamp
         ORDER BY r."revisedAt" LIMIT 1) rev ON true`;
}

/**
 * Degree and safety-bin filters apply after aggregation (lib/export-formats.ts), never here, so that a filter
 * cannot change which side a majority lands on. Agreement counts are made from the rows this returns (the
 * judgements the filters keep), a comparison at a time, in lib/aggregate.ts.
 *
 * The query walks comparisons in the order of the (dialogueId, turnIndex) index and joins the rest by key,
 * so Postgres can stream rows as it finds them (an incremental sort orders each comparison's few judgements)
 * instead of sorting every wide row before sending the first: the first bytes leave at once, and the
 * formatting runs while Postgres is still reading. No window functions, which would need that full sort.
 */
export function exportQuery(filters: ExportFilters, cutoff: Date | null): SqlQuery {
  const where = exportWhere(filters, cutoff);
  const values = [...where.values];
  const column = ([name, sql]: (typeof EXPORT_COLUMNS)[number]): string => {
    if (REVISABLE.has(name) && cutoff) {
      // A judgement its annotator corrected after a snapshot's cutoff prints as it was at the cutoff: the first
      // revision after the cutoff holds the values it replaced.
      return `CASE WHEN rev.id IS NOT NULL THEN ${sql.replace(/^j\./, "rev.")} ELSE ${sql} END AS ${name}`;
    }
    if (name === "continued_with_response_id" && cutoff) {
      // A snapshot prints a continuation only if the next turn was complete at its cutoff (both responses stored).
      // A complete turn is never removed, so this never changes later; a turn still being sampled may be, with
      // the continuation cleared (server/dialogues/end-dialogue.ts), and a turn started after the cutoff is not
      // the snapshot's. So a saved dataset's bytes do not follow the dialogue going on or ending.
      values.push(cutoff.toISOString());
      const at = `$${values.length}::timestamp`;
      return `CASE WHEN EXISTS (SELECT 1 FROM "Comparison" n WHERE n."dialogueId" = c."dialogueId" AND n."turnIndex" = c."turnIndex" + 1
                AND n."createdAt" <= ${at}
                AND (SELECT count(*) FROM "Response" nr WHERE nr."comparisonId" = n.id AND nr."createdAt" <= ${at}) = 2) THEN ${sql} END AS ${name}`;
    }
    return `${sql} AS ${name}`;
  };
  return {
    text: `
      SELECT ${EXPORT_COLUMNS.map(column).join(",\n             ")}
      FROM "Comparison" c
      JOIN "Batch" b ON b.id = c."batchId"
      JOIN "Judgement" j ON j."comparisonId" = c.id
      JOIN "Assignment" a ON a.id = j."assignmentId"
      LEFT JOIN "Vendor" v ON v.id = j."vendorId"
      JOIN "Response" r0 ON r0."comparisonId" = c.id AND r0.slot = 0
      JOIN "ModelVariant" m0 ON m0.id = r0."modelVariantId"
      JOIN "Response" r1 ON r1."comparisonId" = c.id AND r1.slot = 1
      JOIN "ModelVariant" m1 ON m1.id = r1."modelVariantId"
      ${cutoff ? revisionAtCutoff(values, cutoff) : ""}
      ${where.text}
      ORDER BY c."dialogueId", c."turnIndex", c.id, j."createdAt", j.id`,
    values,
  };
}

/** How many judgements the filters keep (before aggregation and the per-format rules): progress totals. */
export function exportCountQuery(filters: ExportFilters, cutoff: Date | null): SqlQuery {
  const where = exportWhere(filters, cutoff);
  return { text: `SELECT count(*) AS n ${FROM} ${where.text}`, values: where.values };
}

/** The comparisons the filters reach, each once (token counts to fill). */
export function exportComparisonIdsQuery(filters: ExportFilters, cutoff: Date | null): SqlQuery {
  const where = exportWhere(filters, cutoff);
  return { text: `SELECT DISTINCT j."comparisonId" AS id ${FROM} ${where.text}`, values: where.values };
}

/** The focuses of the batches the filters reach: helpfulness and safety data never share a file. */
export function exportFocusQuery(filters: ExportFilters, cutoff: Date | null): SqlQuery {
  const where = exportWhere(filters, cutoff);
  return { text: `SELECT DISTINCT b.focus::text AS focus ${FROM} ${where.text}`, values: where.values };
}

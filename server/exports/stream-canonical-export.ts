// The canonical JSONL export (exports.md): one lossless line per judgement, streamed from a cursor.
import { db } from "../db";
import { getEnv } from "../env";
import { AppError, parseInput } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { streamRows } from "../pg-pool";
import { pseudonymiseAnnotator } from "@/lib/pseudonym";
import { splitForDialogue } from "@/lib/split";
import { toJsonLine } from "@/lib/jsonl";
import type { Message } from "@/lib/protocol";
import { canonicalExportSchema } from "./schemas";

type CanonicalRow = {
  judgement_id: string;
  comparison_id: string;
  dialogue_id: string;
  turn_index: number;
  batch_id: string;
  batch_name: string;
  focus: string;
  guideline_version_id: string;
  context: Message[];
  prompt: string;
  risk_category: string | null;
  attack_vector: string | null;
  tags: Record<string, unknown>;
  content_sha256: string;
  continued_with_response_id: string | null;
  chosen_response_id: string;
  chosen_safety: string | null;
  rejected_safety: string | null;
  degree: string;
  safety_bin: string | null;
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
  r1_id: string;
  r1_content: string;
  r1_sampling: Record<string, unknown>;
  r1_model: string;
  r1_version: string;
  n_judgements: string;
  chosen_votes: string;
};

const CANONICAL_SQL = `
  SELECT j.id AS judgement_id, c.id AS comparison_id, c."dialogueId" AS dialogue_id, c."turnIndex" AS turn_index,
         b.id AS batch_id, b.name AS batch_name, b.focus::text AS focus, j."guidelineVersionId" AS guideline_version_id,
         c.context, c.prompt, c."riskCategory"::text AS risk_category, c."attackVector"::text AS attack_vector, c.tags,
         c."contentSha256" AS content_sha256, c."continuedWithResponseId" AS continued_with_response_id,
         j."chosenResponseId" AS chosen_response_id, j."chosenSafety"::text AS chosen_safety,
         j."rejectedSafety"::text AS rejected_safety, j.degree::text AS degree, j."safetyBin"::text AS safety_bin,
         j."annotatorId" AS annotator_id, v.name AS vendor, j."timeSpentMs" AS time_spent_ms, j."createdAt" AS created_at,
         a."leftResponseId" AS left_response_id,
         r0.id AS r0_id, r0.content AS r0_content, r0.sampling AS r0_sampling, m0.name AS r0_model, m0.version AS r0_version,
         r1.id AS r1_id, r1.content AS r1_content, r1.sampling AS r1_sampling, m1.name AS r1_model, m1.version AS r1_version,
         count(*) OVER (PARTITION BY j."comparisonId") AS n_judgements,
         count(*) OVER (PARTITION BY j."comparisonId", j."chosenResponseId") AS chosen_votes
  FROM "Judgement" j
  JOIN "Assignment" a ON a.id = j."assignmentId"
  JOIN "Comparison" c ON c.id = j."comparisonId"
  JOIN "Batch" b ON b.id = c."batchId"
  JOIN "User" u ON u.id = j."annotatorId"
  LEFT JOIN "Vendor" v ON v.id = u."vendorId"
  JOIN "Response" r0 ON r0."comparisonId" = c.id AND r0.slot = 0
  JOIN "ModelVariant" m0 ON m0.id = r0."modelVariantId"
  JOIN "Response" r1 ON r1."comparisonId" = c.id AND r1.slot = 1
  JOIN "ModelVariant" m1 ON m1.id = r1."modelVariantId"
  WHERE c."batchId" = $1
  ORDER BY j."createdAt", j.id`;

function isSafe(row: CanonicalRow, responseId: string): boolean | null {
  const label = responseId === row.chosen_response_id ? row.chosen_safety : row.rejected_safety;
  return label === null ? null : label === "safe";
}

export function toCanonicalRecord(row: CanonicalRow, options: { pseudonymSecret: string; salt: string; testFraction: number }) {
  const response = (id: string, content: string, sampling: Record<string, unknown>, name: string, version: string) => ({
    response_id: id,
    content,
    model: { name, version },
    sampling,
    position: id === row.left_response_id ? "left" : "right",
    is_safe: isSafe(row, id),
  });
  const tags: Record<string, unknown> = { ...row.tags };
  if (row.risk_category) tags.risk_category = row.risk_category;
  if (row.attack_vector) tags.attack_vector = row.attack_vector;
  return {
    schema: "pairwise.v1",
    comparison_id: row.comparison_id,
    dialogue_id: row.dialogue_id,
    turn_index: row.turn_index,
    batch: { id: row.batch_id, name: row.batch_name },
    focus: row.focus,
    guideline_version: row.guideline_version_id,
    context: [...row.context, { role: "user", content: row.prompt }],
    responses: [
      response(row.r0_id, row.r0_content, row.r0_sampling, row.r0_model, row.r0_version),
      response(row.r1_id, row.r1_content, row.r1_sampling, row.r1_model, row.r1_version),
    ],
    chosen_response_id: row.chosen_response_id,
    degree: row.degree,
    safety_bin: row.safety_bin,
    continued_with_response_id: row.continued_with_response_id,
    prompt_tags: tags,
    annotator: pseudonymiseAnnotator(options.pseudonymSecret, row.annotator_id),
    vendor: row.vendor,
    time_spent_ms: row.time_spent_ms,
    created_at: row.created_at.toISOString(),
    agreement: { n_judgements: Number(row.n_judgements), chosen_votes: Number(row.chosen_votes) },
    content_sha256: row.content_sha256,
    split: splitForDialogue(options.salt, row.dialogue_id, options.testFraction),
  };
}

/** Checks access and the batch first (so errors come before any byte), then yields JSONL lines. */
export async function streamCanonicalExport(actor: Actor, input: unknown): Promise<{ filename: string; lines: AsyncIterable<string> }> {
  requirePermission(actor, "exports.read");
  const { batch: batchId, salt, testFraction } = parseInput(canonicalExportSchema, input);
  const batch = await db.batch.findUnique({ where: { id: batchId }, select: { id: true, name: true } });
  if (!batch) throw new AppError("not_found", `No batch with id ${batchId}.`);
  const options = { pseudonymSecret: getEnv().pseudonymSecret, salt, testFraction };
  async function* lines() {
    for await (const row of streamRows<CanonicalRow>(CANONICAL_SQL, [batchId])) {
      yield toJsonLine(toCanonicalRecord(row, options));
    }
  }
  const slug = batch.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || batch.id;
  return { filename: `${slug}.canonical.jsonl`, lines: lines() };
}

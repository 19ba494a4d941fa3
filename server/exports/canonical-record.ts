// One export row → the canonical record of exports.md (schema pairwise.v1).
import { CANONICAL_SCHEMA, type CanonicalRecord, type CanonicalResponse, type CanonicalSampling, type PromptTags } from "@/lib/export-formats";
import { pseudonymiseAnnotator } from "@/lib/pseudonym";
import { splitForDialogue, type Split } from "@/lib/split";
import type { ExportRow } from "./export-sql";
import type { LabelBook } from "./labels";

export type RecordOptions = { pseudonym: (userId: string) => string; split: (dialogueId: string) => Split; labels: LabelBook };

/** Pseudonyms and splits are hashes: computed once per annotator, once per run of a dialogue's rows. */
export function recordOptions(pseudonymSecret: string, salt: string, testFraction: number, labels: LabelBook): RecordOptions {
  const pseudonyms = new Map<string, string>();
  let lastDialogue = "";
  let lastSplit: Split = "train";
  return {
    labels,
    pseudonym(userId) {
      let value = pseudonyms.get(userId);
      if (value === undefined) {
        value = pseudonymiseAnnotator(pseudonymSecret, userId);
        pseudonyms.set(userId, value);
      }
      return value;
    },
    split(dialogueId) {
      if (dialogueId !== lastDialogue) {
        lastDialogue = dialogueId;
        lastSplit = splitForDialogue(salt, dialogueId, testFraction);
      }
      return lastSplit;
    },
  };
}

function isSafe(row: ExportRow, responseId: string): boolean | null {
  const label = responseId === row.chosen_response_id ? row.chosen_safety : row.rejected_safety;
  return label === null ? null : label === "safe";
}

const numberOrNull = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);
const integerOrNull = (value: unknown): number | null => (typeof value === "number" && Number.isSafeInteger(value) ? value : null);

/** The four sampling parameters, always all four (null when unknown), so the column has one type in every file. */
function canonicalSampling(stored: Record<string, unknown>): CanonicalSampling {
  return {
    temperature: numberOrNull(stored.temperature),
    top_p: numberOrNull(stored.top_p),
    max_tokens: integerOrNull(stored.max_tokens),
    seed: integerOrNull(stored.seed),
  };
}

/** The protocol's tags in their own fields, any other tag as {name, value} text, sorted by name: one shape everywhere. */
function promptTags(row: ExportRow): PromptTags {
  const { language, ...rest } = row.tags;
  const other = Object.keys(rest)
    .filter((name) => rest[name] !== null && rest[name] !== undefined && name !== "risk_category" && name !== "attack_vector")
    .sort()
    .map((name) => ({ name, value: String(rest[name]) }));
  return {
    risk_category: row.risk_category,
    attack_vector: row.attack_vector,
    language: language === null || language === undefined ? null : String(language),
    other,
  };
}

/** `agreement`: counted over the comparison's exported judgements (lib/aggregate.ts agreementCounts). */
export function toCanonicalRecord(row: ExportRow, options: RecordOptions, agreement: CanonicalRecord["agreement"]): CanonicalRecord {
  const response = (
    id: string,
    content: string,
    sampling: Record<string, unknown>,
    modelId: string,
    name: string,
    version: string,
  ): CanonicalResponse => ({
    response_id: id,
    content,
    model: options.labels.model(modelId, name, version),
    sampling: canonicalSampling(sampling),
    position: id === row.left_response_id ? "left" : "right",
    is_safe: isSafe(row, id),
  });
  return {
    schema: CANONICAL_SCHEMA,
    comparison_id: row.comparison_id,
    judgement_ids: [row.judgement_id],
    dialogue_id: row.dialogue_id,
    turn_index: row.turn_index,
    batch: { id: row.batch_id, name: options.labels.batch(row.batch_id, row.batch_name) },
    focus: row.focus,
    guideline_version: row.guideline_version_id,
    context: [...row.context, { role: "user", content: row.prompt }],
    responses: [
      response(row.r0_id, row.r0_content, row.r0_sampling, row.r0_model_id, row.r0_model, row.r0_version),
      response(row.r1_id, row.r1_content, row.r1_sampling, row.r1_model_id, row.r1_model, row.r1_version),
    ],
    chosen_response_id: row.chosen_response_id,
    degree: row.degree,
    safety_bin: row.safety_bin,
    continued_with_response_id: row.continued_with_response_id,
    prompt_tags: promptTags(row),
    annotator: options.pseudonym(row.annotator_id),
    vendor: options.labels.vendor(row.vendor_id, row.vendor),
    time_spent_ms: row.time_spent_ms,
    created_at: row.created_at,
    agreement,
    content_sha256: row.content_sha256,
    split: options.split(row.dialogue_id),
  };
}

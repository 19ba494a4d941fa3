// The dataset formats of shared/docs/exports.md, each derived from ONE canonical record, plus the rules that
// decide which records an export keeps. Pure: no database, no node: modules, usable in the browser too.
//
// Message lists are always rebuilt as {role, content} with nothing else, so any extra keys stored in a
// comparison's context never leak into a training file (TRL applies the chat template to exactly these).
import { arenaLanguage } from "./arena-language";
import { bool, float64, int64, list, messageFeature, nullable, string, struct, type Fields } from "./export-features";
import { parseHhTranscript } from "./hh-rlhf";
import { marginFor, meetsMinDegree, type MarginMode } from "./margin";
import { textsAreIdentical } from "./normalise-text";
import type { BatchFocus, Degree, Message, SafetyBin, Side } from "./protocol";

export const CANONICAL_SCHEMA = "pairwise.v1";

export const EXPORT_FORMATS = ["canonical", "trl-reward", "trl-dpo", "openai-dpo", "hh-rlhf", "arena", "arena-jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Formats whose file is one JSON array (FastChat reads its clean-battle file with pd.read_json); the rest are JSON Lines. */
export const JSON_ARRAY_FORMATS: readonly ExportFormat[] = ["arena"];

/** The file extension of a format's download. */
export function formatExtension(format: ExportFormat): "json" | "jsonl" {
  return JSON_ARRAY_FORMATS.includes(format) ? "json" : "jsonl";
}

/**
 * Whether rows carry `comparison_id` and `judgement_ids` unless asked otherwise: on wherever the target tool ignores
 * extra columns (TRL's trainers read only their own columns, as with trl-lib/ultrafeedback_binarized's scores;
 * `datasets` keeps any column), off where the file must be exactly the target's shape (OpenAI's preference format,
 * FastChat's battles, whose question_id already is the comparison id). Canonical always has both.
 */
export const IDS_BY_DEFAULT: Readonly<Record<ExportFormat, boolean>> = {
  canonical: true,
  "trl-reward": true,
  "trl-dpo": true,
  "openai-dpo": false,
  "hh-rlhf": true,
  arena: false,
  "arena-jsonl": false,
};

/** Formats that train a policy directly on the pair: weak preferences are left out by default. */
export const DPO_FORMATS: readonly ExportFormat[] = ["trl-dpo", "openai-dpo"];

/** The default --min-degree of DPO formats (exports.md: negligibly_better_or_unsure left out). */
export const DPO_DEFAULT_MIN_DEGREE: Degree = "slightly_better";

/** The sampling parameters a response was drawn with; null where unknown (imported without them). */
export type CanonicalSampling = { temperature: number | null; top_p: number | null; max_tokens: number | null; seed: number | null };

/** A prompt's tags: the protocol's three, then any other tag as a name and its text, sorted by name. */
export type PromptTags = {
  risk_category: string | null;
  attack_vector: string | null;
  language: string | null;
  other: { name: string; value: string }[];
};

export type CanonicalResponse = {
  response_id: string;
  content: string;
  model: { name: string; version: string };
  sampling: CanonicalSampling;
  /** Where THIS judgement's annotator saw the response on screen. */
  position: Side;
  /** The annotator's label; null when the judgement carries no safety labels. */
  is_safe: boolean | null;
};

/**
 * One line of the canonical export: exactly the object toCanonicalRecord
 * (server/exports/stream-canonical-export.ts) builds, with the closed vocabularies narrowed to their unions.
 * `annotator` and `vendor` are null on records aggregated over several judgements (lib/aggregate.ts).
 */
export type CanonicalRecord = {
  schema: typeof CANONICAL_SCHEMA;
  comparison_id: string;
  /** The judgements behind the row: one, or every judgement an aggregated row was made from (oldest first). */
  judgement_ids: string[];
  dialogue_id: string;
  turn_index: number;
  batch: { id: string; name: string };
  focus: BatchFocus;
  guideline_version: string;
  /** Earlier turns followed by the final user prompt: always ends with a user message. */
  context: Message[];
  responses: [CanonicalResponse, CanonicalResponse];
  chosen_response_id: string;
  degree: Degree;
  safety_bin: SafetyBin | null;
  continued_with_response_id: string | null;
  prompt_tags: PromptTags;
  annotator: string | null;
  vendor: string | null;
  time_spent_ms: number;
  /** ISO 8601, UTC. */
  created_at: string;
  agreement: { n_judgements: number; chosen_votes: number };
  content_sha256: string;
  split: "train" | "test";
};

type SystemUserAssistant = { role: Message["role"]; content: string };
type AssistantMessage = { role: "assistant"; content: string };
type ArenaMessage = SystemUserAssistant & { num_tokens: number };
/** Present when the export carries row ids (option `ids`). */
type RowIds = { comparison_id?: string; judgement_ids?: string[] };

export type TrlRewardRow = { chosen: SystemUserAssistant[]; rejected: SystemUserAssistant[]; margin?: number } & RowIds;
export type TrlDpoRow = { prompt: SystemUserAssistant[]; chosen: [AssistantMessage]; rejected: [AssistantMessage] } & RowIds;
export type OpenAiDpoRow = {
  input: { messages: SystemUserAssistant[] };
  preferred_output: [AssistantMessage];
  non_preferred_output: [AssistantMessage];
} & RowIds;
export type HhRlhfRow = { chosen: string; rejected: string } & RowIds;
export type ArenaRow = {
  question_id: string;
  model_a: string;
  model_b: string;
  winner: "model_a" | "model_b";
  judge: string;
  conversation_a: ArenaMessage[];
  conversation_b: ArenaMessage[];
  turn: number;
  anony: boolean;
  language: string;
  tstamp: number;
  judgement_ids?: string[];
};
export type ExportRow = CanonicalRecord | TrlRewardRow | TrlDpoRow | OpenAiDpoRow | HhRlhfRow | ArenaRow;

export type SelectOptions = {
  format: ExportFormat;
  /** Keep only records at least this strong. Default: slightly_better in DPO formats, no minimum otherwise. */
  minDegree?: Degree;
  /**
   * Keep safety-focus records in the chosen_unsafe_rejected_safe bin (the paper drops them). Default: false,
   * except in canonical (lossless) and when `safetyBins` explicitly lists that bin.
   */
  includeUnsafeChosen?: boolean;
  /** Keep only records in these bins (records without a bin are then left out). Default: every record. */
  safetyBins?: readonly SafetyBin[];
};

export type FormatOptions = Omit<SelectOptions, "format"> & {
  /** Table 27 margin for trl-reward. Default "none": no margin field. */
  margin?: MarginMode;
  /** Add comparison_id and judgement_ids to each row. Default: IDS_BY_DEFAULT of the format. */
  ids?: boolean;
  /** Counts a message's tokens for arena's num_tokens (lib/arena-tokens.ts); needed by the arena formats. */
  countTokens?: (text: string) => number;
};

// ---------------------------------------------------------------------------------------------------------
// Selection

export function responsesIdentical(record: CanonicalRecord): boolean {
  return textsAreIdentical(record.responses[0].content, record.responses[1].content);
}

/**
 * The per-format defaults of exports.md. Every rule but the dedupe can be changed by an explicit option:
 * - identical responses (after trimming and \r\n → \n): dropped in every format except canonical;
 * - safety focus, chosen_unsafe_rejected_safe: dropped unless includeUnsafeChosen (canonical keeps it);
 * - minimum degree: DPO formats default to slightly_better (negligibly_better_or_unsure out); reward formats
 *   (trl-reward, hh-rlhf), arena and canonical keep every degree (trl-reward with margin 0);
 * - safetyBins: when given, the record's bin must be one of them.
 */
export function selectForExport(record: CanonicalRecord, options: SelectOptions): boolean {
  return keepsRecord(record, options.format, options);
}

// The format apart from the options: formatRecord runs once per exported row, and spreading the options into a
// new object per row made a million-row export ~15% slower and made V8 promote 160 MB to its old generation
// instead of 19 MB (measured with --trace-gc-nvp); that old generation's growth set the process's peak memory.
function keepsRecord(record: CanonicalRecord, format: ExportFormat, options: Omit<SelectOptions, "format">): boolean {
  if (format !== "canonical" && responsesIdentical(record)) return false;

  if (options.safetyBins !== undefined) {
    if (record.safety_bin === null || !options.safetyBins.includes(record.safety_bin)) return false;
  }

  const includeUnsafeChosen =
    options.includeUnsafeChosen ?? (format === "canonical" || options.safetyBins?.includes("chosen_unsafe_rejected_safe") === true);
  if (record.focus === "safety" && record.safety_bin === "chosen_unsafe_rejected_safe" && !includeUnsafeChosen) {
    return false;
  }

  const minDegree = options.minDegree ?? (DPO_FORMATS.includes(format) ? DPO_DEFAULT_MIN_DEGREE : undefined);
  if (minDegree !== undefined && !meetsMinDegree(record.degree, minDegree)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// One function per format

function messages(items: readonly Message[]): SystemUserAssistant[] {
  return items.map((m) => ({ role: m.role, content: m.content }));
}

function assistant(content: string): AssistantMessage {
  return { role: "assistant", content };
}

function responseById(record: CanonicalRecord, id: string): CanonicalResponse {
  const response = record.responses.find((r) => r.response_id === id);
  if (!response) throw new Error(`record of comparison ${record.comparison_id} has no response ${id}`);
  return response;
}

/** The chosen and the other response of a record. */
export function chosenAndRejected(record: CanonicalRecord): { chosen: CanonicalResponse; rejected: CanonicalResponse } {
  const chosen = responseById(record, record.chosen_response_id);
  const rejected = record.responses[0] === chosen ? record.responses[1] : record.responses[0];
  return { chosen, rejected };
}

/** TRL RewardTrainer, conversational with implicit prompt; both lists differ only in the last message. */
export function toTrlReward(record: CanonicalRecord, margin: MarginMode = "none"): TrlRewardRow {
  const { chosen, rejected } = chosenAndRejected(record);
  const row: TrlRewardRow = {
    chosen: [...messages(record.context), assistant(chosen.content)],
    rejected: [...messages(record.context), assistant(rejected.content)],
  };
  const m = marginFor(record.degree, margin);
  if (m !== undefined) row.margin = m;
  return row;
}

/** TRL DPOTrainer, conversational with explicit prompt. */
export function toTrlDpo(record: CanonicalRecord): TrlDpoRow {
  const { chosen, rejected } = chosenAndRejected(record);
  return { prompt: messages(record.context), chosen: [assistant(chosen.content)], rejected: [assistant(rejected.content)] };
}

/** OpenAI preference fine-tuning (DPO): system/user/assistant messages in input.messages. */
export function toOpenAiDpo(record: CanonicalRecord): OpenAiDpoRow {
  const { chosen, rejected } = chosenAndRejected(record);
  return {
    input: { messages: messages(record.context) },
    preferred_output: [assistant(chosen.content)],
    non_preferred_output: [assistant(rejected.content)],
  };
}

/**
 * An HH-RLHF transcript. HH has no system turn, so a system message is prepended to the next Human turn,
 * separated by a blank line ("\n\nHuman: <system>\n\n<user>"): the instruction stays in the text the reward
 * model reads instead of silently disappearing. Returns null when a message itself contains
 * "\n\nHuman:" or "\n\nAssistant:", which would split into extra turns (checked by parsing the transcript
 * back with lib/hh-rlhf.ts, the parser our importer uses).
 */
function hhTranscript(items: readonly Message[]): string | null {
  let transcript = "";
  let turns = 0;
  let pendingSystem: string[] = [];
  for (const m of items) {
    if (m.role === "system") {
      pendingSystem.push(m.content);
    } else if (m.role === "user") {
      transcript += "\n\nHuman: " + [...pendingSystem, m.content].join("\n\n");
      pendingSystem = [];
      turns += 1;
    } else {
      transcript += "\n\nAssistant: " + m.content;
      turns += 1;
    }
  }
  try {
    return parseHhTranscript(transcript).length === turns ? transcript : null;
  } catch {
    return null; // nothing but system messages: no transcript
  }
}

/** Anthropic HH-RLHF: whole transcripts as strings; null when a transcript would not parse back. */
export function toHhRlhf(record: CanonicalRecord): HhRlhfRow | null {
  const { chosen, rejected } = chosenAndRejected(record);
  const chosenText = hhTranscript([...record.context, { role: "assistant", content: chosen.content }]);
  const rejectedText = hhTranscript([...record.context, { role: "assistant", content: rejected.content }]);
  return chosenText === null || rejectedText === null ? null : { chosen: chosenText, rejected: rejectedText };
}

/**
 * A Chatbot Arena battle exactly as FastChat's fastchat/serve/monitor/clean_battle_data.py writes one (its
 * conv_release mode, which keeps the conversations): the same keys in the same order, of the same types —
 * question_id (str), model_a, model_b (str), winner ("model_a" | "model_b"; we have no ties), judge (str),
 * conversation_a, conversation_b (lists of {role, content, num_tokens}: tiktoken cl100k_base counts, as FastChat's),
 * turn (int: user turns, FastChat's len(conversation_a) // 2), anony (bool: always true, our tasks are blind, and
 * elo_analysis.py keeps only anonymous battles), language (FastChat's vocabulary: "English", "Chinese", …, or
 * "unknown"; from the prompt's `language` tag, lib/arena-language.ts), tstamp (float, unix seconds).
 * model_a is the LEFT response as this judgement's annotator saw it, model_b the right one; a model is
 * "name@version". judge is the annotator pseudonym, or "aggregate" on an aggregated record. Conversations keep
 * system messages (FastChat's have none; its rating code never reads them).
 */
export function toArena(record: CanonicalRecord, countTokens: (text: string) => number): ArenaRow {
  const left = record.responses.find((r) => r.position === "left");
  const right = record.responses.find((r) => r.position === "right");
  if (!left || !right) throw new Error(`record of comparison ${record.comparison_id} needs one left and one right response`);
  const modelName = (r: CanonicalResponse) => `${r.model.name}@${r.model.version}`;
  const context = record.context.map((m) => ({ role: m.role, content: m.content, num_tokens: countTokens(m.content) }));
  const answer = (content: string): ArenaMessage => ({ role: "assistant", content, num_tokens: countTokens(content) });
  return {
    question_id: record.comparison_id,
    model_a: modelName(left),
    model_b: modelName(right),
    winner: record.chosen_response_id === left.response_id ? "model_a" : "model_b",
    judge: record.annotator ?? "aggregate",
    conversation_a: [...context, answer(left.content)],
    conversation_b: [...context, answer(right.content)],
    turn: record.context.filter((m) => m.role === "user").length,
    anony: true,
    language: arenaLanguage(record.prompt_tags.language),
    tstamp: Date.parse(record.created_at) / 1000,
  };
}

/** One output row of `format` for a record, or null when the format (or its rules) leaves the record out. */
export function formatRecord(record: CanonicalRecord, format: "canonical", options?: FormatOptions): CanonicalRecord | null;
export function formatRecord(record: CanonicalRecord, format: "trl-reward", options?: FormatOptions): TrlRewardRow | null;
export function formatRecord(record: CanonicalRecord, format: "trl-dpo", options?: FormatOptions): TrlDpoRow | null;
export function formatRecord(record: CanonicalRecord, format: "openai-dpo", options?: FormatOptions): OpenAiDpoRow | null;
export function formatRecord(record: CanonicalRecord, format: "hh-rlhf", options?: FormatOptions): HhRlhfRow | null;
export function formatRecord(record: CanonicalRecord, format: "arena" | "arena-jsonl", options?: FormatOptions): ArenaRow | null;
export function formatRecord(record: CanonicalRecord, format: ExportFormat, options?: FormatOptions): ExportRow | null;
export function formatRecord(record: CanonicalRecord, format: ExportFormat, options: FormatOptions = {}): ExportRow | null {
  if (!keepsRecord(record, format, options)) return null;
  const ids = options.ids ?? IDS_BY_DEFAULT[format];
  switch (format) {
    case "canonical":
      return record;
    case "trl-reward":
      return withIds(toTrlReward(record, options.margin ?? "none"), record, ids);
    case "trl-dpo":
      return withIds(toTrlDpo(record), record, ids);
    case "openai-dpo":
      return withIds(toOpenAiDpo(record), record, ids);
    case "hh-rlhf": {
      const row = toHhRlhf(record);
      return row && withIds(row, record, ids);
    }
    case "arena":
    case "arena-jsonl": {
      if (!options.countTokens) throw new Error("the arena formats need countTokens (lib/arena-tokens.ts)");
      const row = toArena(record, options.countTokens);
      // question_id already is the comparison id.
      if (ids) row.judgement_ids = record.judgement_ids;
      return row;
    }
  }
}

function withIds<T extends RowIds>(row: T, record: CanonicalRecord, ids: boolean): T {
  if (ids) {
    row.comparison_id = record.comparison_id;
    row.judgement_ids = record.judgement_ids;
  }
  return row;
}

// ---------------------------------------------------------------------------------------------------------
// Every field of every format, with its type (lib/export-features.ts): the JSON text, the card and Parquet.

const conversation = list(messageFeature);
const assistantTurn = list(messageFeature);
const idFields: Fields = [
  ["comparison_id", string],
  ["judgement_ids", list(string)],
];

const canonicalFields: Fields = [
  ["schema", string],
  ["comparison_id", string],
  ["judgement_ids", list(string)],
  ["dialogue_id", string],
  ["turn_index", int64],
  [
    "batch",
    struct([
      ["id", string],
      ["name", string],
    ]),
  ],
  ["focus", string],
  ["guideline_version", string],
  ["context", conversation],
  [
    "responses",
    list(
      struct([
        ["response_id", string],
        ["content", string],
        [
          "model",
          struct([
            ["name", string],
            ["version", string],
          ]),
        ],
        [
          "sampling",
          struct([
            ["temperature", nullable(float64)],
            ["top_p", nullable(float64)],
            ["max_tokens", nullable(int64)],
            ["seed", nullable(int64)],
          ]),
        ],
        ["position", string],
        ["is_safe", nullable(bool)],
      ]),
    ),
  ],
  ["chosen_response_id", string],
  ["degree", string],
  ["safety_bin", nullable(string)],
  ["continued_with_response_id", nullable(string)],
  [
    "prompt_tags",
    struct([
      ["risk_category", nullable(string)],
      ["attack_vector", nullable(string)],
      ["language", nullable(string)],
      [
        "other",
        list(
          struct([
            ["name", string],
            ["value", string],
          ]),
        ),
      ],
    ]),
  ],
  ["annotator", nullable(string)],
  ["vendor", nullable(string)],
  ["time_spent_ms", int64],
  ["created_at", string],
  [
    "agreement",
    struct([
      ["n_judgements", int64],
      ["chosen_votes", int64],
    ]),
  ],
  ["content_sha256", string],
  ["split", string],
];

const arenaMessage = struct([
  ["role", string],
  ["content", string],
  ["num_tokens", int64],
]);

/**
 * The fields of a format's rows, in order. They depend on the format and on two options only: `margin` (trl-reward
 * has a margin column unless it is "none") and `ids`. Files made with the same format and options always load
 * together.
 */
export function exportFields(format: ExportFormat, options: { margin?: MarginMode; ids?: boolean } = {}): Fields {
  const ids = options.ids ?? IDS_BY_DEFAULT[format];
  const maybeIds = ids ? idFields : [];
  switch (format) {
    case "canonical":
      return canonicalFields;
    case "trl-reward":
      return [
        ["chosen", conversation],
        ["rejected", conversation],
        ...((options.margin ?? "none") === "none" ? [] : [["margin", float64] as const]),
        ...maybeIds,
      ];
    case "trl-dpo":
      return [["prompt", conversation], ["chosen", assistantTurn], ["rejected", assistantTurn], ...maybeIds];
    case "openai-dpo":
      return [
        ["input", struct([["messages", conversation]])],
        ["preferred_output", assistantTurn],
        ["non_preferred_output", assistantTurn],
        ...maybeIds,
      ];
    case "hh-rlhf":
      return [["chosen", string], ["rejected", string], ...maybeIds];
    case "arena":
    case "arena-jsonl":
      return [
        ["question_id", string],
        ["model_a", string],
        ["model_b", string],
        ["winner", string],
        ["judge", string],
        ["conversation_a", list(arenaMessage)],
        ["conversation_b", list(arenaMessage)],
        ["turn", int64],
        ["anony", bool],
        ["language", string],
        ["tstamp", float64],
        ...(ids ? [["judgement_ids", list(string)] as const] : []),
      ];
  }
}

// The dataset formats of shared/docs/exports.md, each derived from ONE canonical record, plus the rules that
// decide which records an export keeps. Pure: no database, no node: modules, usable in the browser too.
//
// Message lists are always rebuilt as {role, content} with nothing else, so any extra keys stored in a
// comparison's context never leak into a training file (TRL applies the chat template to exactly these).
import { parseHhTranscript } from "./hh-rlhf";
import { marginFor, meetsMinDegree, type MarginMode } from "./margin";
import { textsAreIdentical } from "./normalise-text";
import type { BatchFocus, Degree, Message, SafetyBin, Side } from "./protocol";

export const CANONICAL_SCHEMA = "pairwise.v1";

export const EXPORT_FORMATS = ["canonical", "trl-reward", "trl-dpo", "openai-dpo", "hh-rlhf", "arena"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Formats that train a policy directly on the pair: weak preferences are left out by default. */
export const DPO_FORMATS: readonly ExportFormat[] = ["trl-dpo", "openai-dpo"];

/** The default --min-degree of DPO formats (exports.md: negligibly_better_or_unsure left out). */
export const DPO_DEFAULT_MIN_DEGREE: Degree = "slightly_better";

export type CanonicalResponse = {
  response_id: string;
  content: string;
  model: { name: string; version: string };
  sampling: Record<string, unknown>;
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
  prompt_tags: Record<string, unknown>;
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

export type TrlRewardRow = { chosen: SystemUserAssistant[]; rejected: SystemUserAssistant[]; margin?: number };
export type TrlDpoRow = { prompt: SystemUserAssistant[]; chosen: [AssistantMessage]; rejected: [AssistantMessage] };
export type OpenAiDpoRow = {
  input: { messages: SystemUserAssistant[] };
  preferred_output: [AssistantMessage];
  non_preferred_output: [AssistantMessage];
};
export type HhRlhfRow = { chosen: string; rejected: string };
export type ArenaRow = {
  question_id: string;
  model_a: string;
  model_b: string;
  winner: "model_a" | "model_b";
  judge: string;
  conversation_a: SystemUserAssistant[];
  conversation_b: SystemUserAssistant[];
  turn: number;
  anony: boolean;
  language: string;
  tstamp: number;
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
    options.includeUnsafeChosen ??
    (format === "canonical" || options.safetyBins?.includes("chosen_unsafe_rejected_safe") === true);
  if (record.focus === "safety" && record.safety_bin === "chosen_unsafe_rejected_safe" && !includeUnsafeChosen) {
    return false;
  }

  const minDegree = options.minDegree ?? (DPO_FORMATS.includes(format) ? DPO_DEFAULT_MIN_DEGREE : undefined);
  if (minDegree !== undefined && !meetsMinDegree(record.degree, minDegree)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// One function per format

function messages(list: readonly Message[]): SystemUserAssistant[] {
  return list.map((m) => ({ role: m.role, content: m.content }));
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
function hhTranscript(list: readonly Message[]): string | null {
  let transcript = "";
  let turns = 0;
  let pendingSystem: string[] = [];
  for (const m of list) {
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
 * Chatbot Arena battles, as FastChat's fastchat/serve/monitor/clean_battle_data.py writes them (and the
 * lmsys/chatbot_arena_conversations and lmsys/mt_bench_human_judgments datasets hold them): the same keys in
 * the same order and types — question_id (str), model_a, model_b (str), winner ("model_a" | "model_b"; we have
 * no ties), judge (str), conversation_a, conversation_b (lists of {role, content}), turn (int: user turns in
 * the conversation, FastChat's len(conversation_a) // 2), anony (bool), language (str), tstamp (float, unix
 * seconds). FastChat's elo_analysis.py filters on `anony`, so it is always written: our tasks are blind.
 * model_a is the LEFT response as this judgement's annotator saw it, model_b the right one; a model is
 * "name@version". language is the prompt's `language` tag as imported (e.g. "en"; FastChat writes detected
 * names such as "English"), "unknown" without one, as FastChat does. judge is the annotator pseudonym, or
 * "aggregate" on an aggregated record. Conversations keep system messages (FastChat's have none; its rating
 * code never reads them).
 */
export function toArena(record: CanonicalRecord): ArenaRow {
  const left = record.responses.find((r) => r.position === "left");
  const right = record.responses.find((r) => r.position === "right");
  if (!left || !right) throw new Error(`record of comparison ${record.comparison_id} needs one left and one right response`);
  const modelName = (r: CanonicalResponse) => `${r.model.name}@${r.model.version}`;
  const language = record.prompt_tags.language;
  return {
    question_id: record.comparison_id,
    model_a: modelName(left),
    model_b: modelName(right),
    winner: record.chosen_response_id === left.response_id ? "model_a" : "model_b",
    judge: record.annotator ?? "aggregate",
    conversation_a: [...messages(record.context), assistant(left.content)],
    conversation_b: [...messages(record.context), assistant(right.content)],
    turn: record.turn_index + 1,
    anony: true,
    language: typeof language === "string" && language !== "" ? language : "unknown",
    tstamp: Date.parse(record.created_at) / 1000,
  };
}

/** One output row of `format` for a record, or null when the format (or its rules) leaves the record out. */
export function formatRecord(record: CanonicalRecord, format: "canonical", options?: FormatOptions): CanonicalRecord | null;
export function formatRecord(record: CanonicalRecord, format: "trl-reward", options?: FormatOptions): TrlRewardRow | null;
export function formatRecord(record: CanonicalRecord, format: "trl-dpo", options?: FormatOptions): TrlDpoRow | null;
export function formatRecord(record: CanonicalRecord, format: "openai-dpo", options?: FormatOptions): OpenAiDpoRow | null;
export function formatRecord(record: CanonicalRecord, format: "hh-rlhf", options?: FormatOptions): HhRlhfRow | null;
export function formatRecord(record: CanonicalRecord, format: "arena", options?: FormatOptions): ArenaRow | null;
export function formatRecord(record: CanonicalRecord, format: ExportFormat, options?: FormatOptions): ExportRow | null;
export function formatRecord(record: CanonicalRecord, format: ExportFormat, options: FormatOptions = {}): ExportRow | null {
  if (!keepsRecord(record, format, options)) return null;
  switch (format) {
    case "canonical":
      return record;
    case "trl-reward":
      return toTrlReward(record, options.margin ?? "none");
    case "trl-dpo":
      return toTrlDpo(record);
    case "openai-dpo":
      return toOpenAiDpo(record);
    case "hh-rlhf":
      return toHhRlhf(record);
    case "arena":
      return toArena(record);
  }
}


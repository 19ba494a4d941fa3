import { describe, expect, it } from "vitest";
import {
  EXPORT_FORMATS,
  exportFields,
  formatRecord,
  selectForExport,
  type CanonicalRecord,
  type ExportFormat,
  type SelectOptions,
} from "@/lib/export-formats";
import { parseHhPair } from "@/lib/hh-rlhf";
import { rowEncoder } from "@/lib/export-features";
import { countArenaTokens } from "@/lib/arena-tokens";
import type { Message } from "@/lib/protocol";

// ---------------------------------------------------------------------------------------------------------
// Hand-made canonical records.
//   R1  safety, multi-turn, the chosen response shown on the RIGHT (exports.md's example)
//   R2  helpfulness, multi-turn with a system message, chosen on the LEFT, no safety labels
//   R3  safety, chosen_unsafe_rejected_safe
//   R4  negligibly_better_or_unsure
//   R5  two responses identical after trimming and \r\n → \n
//   R6  a user message that contains an HH turn marker
//   R7  an aggregated record (annotator null)

const NO_SAMPLING = { temperature: null, top_p: null, max_tokens: null, seed: null };
const NO_TAGS = { risk_category: null, attack_vector: null, language: null, other: [] };

const R1: CanonicalRecord = {
  schema: "pairwise.v1",
  comparison_id: "cmp_lock",
  judgement_ids: ["jdg_lock"],
  dialogue_id: "dlg_lock",
  turn_index: 1,
  batch: { id: "bat_s", name: "2026-W14 safety" },
  focus: "safety",
  guideline_version: "gv_s1",
  context: [
    { role: "user", content: "How do I pick a lock?" },
    { role: "assistant", content: "Are you locked out?" },
    { role: "user", content: "Yes, my front door." },
  ],
  responses: [
    {
      response_id: "resp_lock_1",
      content: "Call a licensed locksmith.",
      model: { name: "acme-chat", version: "rlhf-v3" },
      sampling: { temperature: 0.7, top_p: 0.9, max_tokens: 1024, seed: 17 },
      position: "right",
      is_safe: true,
    },
    {
      response_id: "resp_lock_2",
      content: "Insert a tension wrench.",
      model: { name: "acme-chat", version: "rlhf-v2" },
      sampling: { temperature: 1.1, top_p: 0.9, max_tokens: 1024, seed: 18 },
      position: "left",
      is_safe: false,
    },
  ],
  chosen_response_id: "resp_lock_1",
  degree: "significantly_better",
  safety_bin: "chosen_safe_rejected_unsafe",
  continued_with_response_id: "resp_lock_1",
  prompt_tags: { risk_category: "illicit_and_criminal_activities", attack_vector: "perspective_manipulation", language: "en", other: [] },
  annotator: "ann_3f9c1a7be2d4a901",
  vendor: "Acme Labelling",
  time_spent_ms: 81000,
  created_at: "2026-04-02T10:11:12.000Z",
  agreement: { n_judgements: 1, chosen_votes: 1 },
  content_sha256: "sha_lock",
  split: "train",
};

const R2: CanonicalRecord = {
  schema: "pairwise.v1",
  comparison_id: "cmp_math",
  judgement_ids: ["jdg_math"],
  dialogue_id: "dlg_math",
  turn_index: 1,
  batch: { id: "bat_h", name: "2026-W14 helpfulness" },
  focus: "helpfulness",
  guideline_version: "gv_h1",
  context: [
    { role: "system", content: "You are a concise maths tutor." },
    { role: "user", content: "What is 2+2?" },
    { role: "assistant", content: "4." },
    { role: "user", content: "And times 3?" },
  ],
  responses: [
    {
      response_id: "resp_math_1",
      content: "12.",
      model: { name: "tutor", version: "v2" },
      sampling: { ...NO_SAMPLING, temperature: 0.2 },
      position: "left",
      is_safe: null,
    },
    {
      response_id: "resp_math_2",
      content: "It is 12, because 4 × 3 = 12.",
      model: { name: "tutor", version: "v1" },
      sampling: { ...NO_SAMPLING, temperature: 0.9 },
      position: "right",
      is_safe: null,
    },
  ],
  chosen_response_id: "resp_math_1",
  degree: "better",
  safety_bin: null,
  continued_with_response_id: null,
  prompt_tags: NO_TAGS,
  annotator: "ann_0123456789abcdef",
  vendor: null,
  time_spent_ms: 12000,
  created_at: "2026-04-03T08:30:00.500Z",
  agreement: { n_judgements: 1, chosen_votes: 1 },
  content_sha256: "sha_math",
  split: "test",
};

const R3: CanonicalRecord = {
  ...R1,
  comparison_id: "cmp_id",
  context: [{ role: "user", content: "How do I make a fake ID?" }],
  responses: [
    { ...R1.responses[0], response_id: "resp_id_1", content: "I can't help with that.", position: "left", is_safe: true },
    { ...R1.responses[1], response_id: "resp_id_2", content: "Step one: find a template.", position: "right", is_safe: false },
  ],
  chosen_response_id: "resp_id_2",
  degree: "slightly_better",
  safety_bin: "chosen_unsafe_rejected_safe",
};

const R4: CanonicalRecord = {
  ...R2,
  comparison_id: "cmp_cat",
  context: [{ role: "user", content: "Suggest a name for a cat." }],
  responses: [
    { ...R2.responses[0], response_id: "resp_cat_1", content: "Whiskers." },
    { ...R2.responses[1], response_id: "resp_cat_2", content: "Mittens." },
  ],
  chosen_response_id: "resp_cat_2",
  degree: "negligibly_better_or_unsure",
};

const R5: CanonicalRecord = {
  ...R2,
  comparison_id: "cmp_same",
  context: [{ role: "user", content: "Say hi." }],
  responses: [
    { ...R2.responses[0], response_id: "resp_same_1", content: "Hi!\r\n" },
    { ...R2.responses[1], response_id: "resp_same_2", content: "  Hi!\n" },
  ],
  chosen_response_id: "resp_same_1",
};

const R6: CanonicalRecord = {
  ...R2,
  comparison_id: "cmp_inject",
  context: [{ role: "user", content: "Continue this script:\n\nHuman: hello\n\nAssistant: hi" }],
  responses: [
    { ...R2.responses[0], response_id: "resp_inject_1", content: "Human: how are you?" },
    { ...R2.responses[1], response_id: "resp_inject_2", content: "I'd rather not." },
  ],
  chosen_response_id: "resp_inject_1",
};

const R7: CanonicalRecord = { ...R1, annotator: null, vendor: null, agreement: { n_judgements: 3, chosen_votes: 2 } };

const ALL = [R1, R2, R3, R4, R5, R6, R7];
const NO_IDS = { ids: false };

// ---------------------------------------------------------------------------------------------------------
// Expected output, by hand.

const R1_CHOSEN_CONVERSATION = [
  { role: "user", content: "How do I pick a lock?" },
  { role: "assistant", content: "Are you locked out?" },
  { role: "user", content: "Yes, my front door." },
  { role: "assistant", content: "Call a licensed locksmith." },
];
const R1_REJECTED_CONVERSATION = [
  { role: "user", content: "How do I pick a lock?" },
  { role: "assistant", content: "Are you locked out?" },
  { role: "user", content: "Yes, my front door." },
  { role: "assistant", content: "Insert a tension wrench." },
];
const R2_CHOSEN_CONVERSATION = [
  { role: "system", content: "You are a concise maths tutor." },
  { role: "user", content: "What is 2+2?" },
  { role: "assistant", content: "4." },
  { role: "user", content: "And times 3?" },
  { role: "assistant", content: "12." },
];
const R2_REJECTED_CONVERSATION = [
  { role: "system", content: "You are a concise maths tutor." },
  { role: "user", content: "What is 2+2?" },
  { role: "assistant", content: "4." },
  { role: "user", content: "And times 3?" },
  { role: "assistant", content: "It is 12, because 4 × 3 = 12." },
];

describe("trl-reward", () => {
  it("writes the full dialogue in chosen and rejected, margin omitted with none", () => {
    expect(formatRecord(R1, "trl-reward", NO_IDS)).toStrictEqual({ chosen: R1_CHOSEN_CONVERSATION, rejected: R1_REJECTED_CONVERSATION });
    expect(formatRecord(R1, "trl-reward", { margin: "none", ids: false })).toStrictEqual({
      chosen: R1_CHOSEN_CONVERSATION,
      rejected: R1_REJECTED_CONVERSATION,
    });
    expect(formatRecord(R2, "trl-reward", NO_IDS)).toStrictEqual({ chosen: R2_CHOSEN_CONVERSATION, rejected: R2_REJECTED_CONVERSATION });
  });

  it("adds the Table 27 margin", () => {
    expect(formatRecord(R1, "trl-reward", { margin: "small", ids: false })).toStrictEqual({
      chosen: R1_CHOSEN_CONVERSATION,
      rejected: R1_REJECTED_CONVERSATION,
      margin: 1,
    });
    expect(formatRecord(R1, "trl-reward", { margin: "large", ids: false })).toStrictEqual({
      chosen: R1_CHOSEN_CONVERSATION,
      rejected: R1_REJECTED_CONVERSATION,
      margin: 3,
    });
    expect(formatRecord(R2, "trl-reward", { margin: "small", ids: false })).toStrictEqual({
      chosen: R2_CHOSEN_CONVERSATION,
      rejected: R2_REJECTED_CONVERSATION,
      margin: 0.6666666666666666,
    });
    expect(formatRecord(R2, "trl-reward", { margin: "large", ids: false })).toStrictEqual({
      chosen: R2_CHOSEN_CONVERSATION,
      rejected: R2_REJECTED_CONVERSATION,
      margin: 2,
    });
  });

  it("keeps negligibly_better_or_unsure with margin 0", () => {
    const expected = {
      chosen: [
        { role: "user", content: "Suggest a name for a cat." },
        { role: "assistant", content: "Mittens." },
      ],
      rejected: [
        { role: "user", content: "Suggest a name for a cat." },
        { role: "assistant", content: "Whiskers." },
      ],
      margin: 0,
    };
    expect(formatRecord(R4, "trl-reward", { margin: "small", ids: false })).toStrictEqual(expected);
    expect(formatRecord(R4, "trl-reward", { margin: "large", ids: false })).toStrictEqual(expected);
  });

  it("serialises to exactly the documented JSON line, the margin always a float", () => {
    const encode = rowEncoder(exportFields("trl-reward", { margin: "large", ids: false }));
    expect(encode(formatRecord(R1, "trl-reward", { margin: "large", ids: false }))).toBe(
      '{"chosen":[{"role":"user","content":"How do I pick a lock?"},{"role":"assistant","content":"Are you locked out?"},' +
        '{"role":"user","content":"Yes, my front door."},{"role":"assistant","content":"Call a licensed locksmith."}],' +
        '"rejected":[{"role":"user","content":"How do I pick a lock?"},{"role":"assistant","content":"Are you locked out?"},' +
        '{"role":"user","content":"Yes, my front door."},{"role":"assistant","content":"Insert a tension wrench."}],"margin":3.0}',
    );
  });
});

describe("trl-dpo", () => {
  it("splits the prompt from one-message completions", () => {
    expect(formatRecord(R1, "trl-dpo", NO_IDS)).toStrictEqual({
      prompt: [
        { role: "user", content: "How do I pick a lock?" },
        { role: "assistant", content: "Are you locked out?" },
        { role: "user", content: "Yes, my front door." },
      ],
      chosen: [{ role: "assistant", content: "Call a licensed locksmith." }],
      rejected: [{ role: "assistant", content: "Insert a tension wrench." }],
    });
    expect(formatRecord(R2, "trl-dpo", NO_IDS)).toStrictEqual({
      prompt: [
        { role: "system", content: "You are a concise maths tutor." },
        { role: "user", content: "What is 2+2?" },
        { role: "assistant", content: "4." },
        { role: "user", content: "And times 3?" },
      ],
      chosen: [{ role: "assistant", content: "12." }],
      rejected: [{ role: "assistant", content: "It is 12, because 4 × 3 = 12." }],
    });
  });
});

describe("openai-dpo", () => {
  it("puts the dialogue in input.messages and one assistant message per output", () => {
    expect(formatRecord(R1, "openai-dpo")).toStrictEqual({
      input: {
        messages: [
          { role: "user", content: "How do I pick a lock?" },
          { role: "assistant", content: "Are you locked out?" },
          { role: "user", content: "Yes, my front door." },
        ],
      },
      preferred_output: [{ role: "assistant", content: "Call a licensed locksmith." }],
      non_preferred_output: [{ role: "assistant", content: "Insert a tension wrench." }],
    });
    expect(formatRecord(R2, "openai-dpo")).toStrictEqual({
      input: {
        messages: [
          { role: "system", content: "You are a concise maths tutor." },
          { role: "user", content: "What is 2+2?" },
          { role: "assistant", content: "4." },
          { role: "user", content: "And times 3?" },
        ],
      },
      preferred_output: [{ role: "assistant", content: "12." }],
      non_preferred_output: [{ role: "assistant", content: "It is 12, because 4 × 3 = 12." }],
    });
  });
});

describe("hh-rlhf", () => {
  it("writes whole transcripts", () => {
    expect(formatRecord(R1, "hh-rlhf", NO_IDS)).toStrictEqual({
      chosen:
        "\n\nHuman: How do I pick a lock?\n\nAssistant: Are you locked out?\n\nHuman: Yes, my front door.\n\nAssistant: Call a licensed locksmith.",
      rejected:
        "\n\nHuman: How do I pick a lock?\n\nAssistant: Are you locked out?\n\nHuman: Yes, my front door.\n\nAssistant: Insert a tension wrench.",
    });
  });

  it("prepends a system message to the next Human turn", () => {
    expect(formatRecord(R2, "hh-rlhf", NO_IDS)).toStrictEqual({
      chosen: "\n\nHuman: You are a concise maths tutor.\n\nWhat is 2+2?\n\nAssistant: 4.\n\nHuman: And times 3?\n\nAssistant: 12.",
      rejected:
        "\n\nHuman: You are a concise maths tutor.\n\nWhat is 2+2?\n\nAssistant: 4.\n\nHuman: And times 3?\n\nAssistant: It is 12, because 4 × 3 = 12.",
    });
  });

  it("parses back with our HH-RLHF importer", () => {
    const row = formatRecord(R2, "hh-rlhf", NO_IDS)!;
    expect(parseHhPair(row.chosen, row.rejected)).toEqual({
      context: [
        { role: "user", content: "You are a concise maths tutor.\n\nWhat is 2+2?" },
        { role: "assistant", content: "4." },
      ],
      prompt: "And times 3?",
      chosen: "12.",
      rejected: "It is 12, because 4 × 3 = 12.",
    });
  });

  it("drops a record whose text contains a turn marker (the transcript would not parse back)", () => {
    expect(formatRecord(R6, "hh-rlhf", NO_IDS)).toBeNull();
    expect(formatRecord(R6, "trl-reward", NO_IDS)).not.toBeNull();
  });
});

describe("arena", () => {
  const words = (m: { role: string; content: string }) => ({ ...m, num_tokens: countArenaTokens(m.content) });
  const arena = (record: CanonicalRecord, options = {}) => formatRecord(record, "arena", { countTokens: countArenaTokens, ...options });

  it("writes a FastChat battle with model_a = the left response (chosen on the right)", () => {
    expect(arena(R1)).toStrictEqual({
      question_id: "cmp_lock",
      model_a: "acme-chat@rlhf-v2",
      model_b: "acme-chat@rlhf-v3",
      winner: "model_b",
      judge: "ann_3f9c1a7be2d4a901",
      conversation_a: R1_REJECTED_CONVERSATION.map(words),
      conversation_b: R1_CHOSEN_CONVERSATION.map(words),
      turn: 2,
      anony: true,
      language: "English",
      tstamp: 1775124672,
    });
  });

  it("chosen on the left, system message kept, language unknown, fractional tstamp", () => {
    expect(arena(R2)).toStrictEqual({
      question_id: "cmp_math",
      model_a: "tutor@v2",
      model_b: "tutor@v1",
      winner: "model_a",
      judge: "ann_0123456789abcdef",
      conversation_a: R2_CHOSEN_CONVERSATION.map(words),
      conversation_b: R2_REJECTED_CONVERSATION.map(words),
      turn: 2,
      anony: true,
      language: "unknown",
      tstamp: 1775205000.5,
    });
  });

  it("counts num_tokens as FastChat does (tiktoken cl100k_base, special tokens allowed)", () => {
    expect(countArenaTokens("hello world")).toBe(2);
    expect(countArenaTokens("<|endoftext|>")).toBe(1);
  });

  it('names an aggregated record\'s judge "aggregate"', () => {
    expect(arena(R7)?.judge).toBe("aggregate");
  });

  it("arena-jsonl has the same rows", () => {
    for (const record of ALL) expect(formatRecord(record, "arena-jsonl", { countTokens: countArenaTokens })).toStrictEqual(arena(record));
  });

  it("adds judgement_ids only when asked (question_id already is the comparison id)", () => {
    expect(arena(R1)).not.toHaveProperty("judgement_ids");
    expect(arena(R1, { ids: true })?.judgement_ids).toEqual(["jdg_lock"]);
    expect(Object.keys(arena(R1, { ids: true })!).at(-1)).toBe("judgement_ids");
  });

  it("has FastChat's keys, in FastChat's order, with its types (fastchat/serve/monitor/clean_battle_data.py)", () => {
    const row = arena(R1)!;
    expect(Object.keys(row)).toEqual([
      "question_id",
      "model_a",
      "model_b",
      "winner",
      "judge",
      "conversation_a",
      "conversation_b",
      "turn",
      "anony",
      "language",
      "tstamp",
    ]);
    for (const key of ["question_id", "model_a", "model_b", "winner", "judge", "language"] as const) {
      expect(typeof row[key]).toBe("string");
    }
    for (const m of [...row.conversation_a, ...row.conversation_b]) expect(Object.keys(m)).toEqual(["role", "content", "num_tokens"]);
    expect(Number.isInteger(row.turn)).toBe(true);
    expect(typeof row.anony).toBe("boolean");
    // A float in the file even when whole, as Python's json.dump writes FastChat's float tstamp.
    expect(rowEncoder(exportFields("arena"))(row)).toMatch(/"tstamp":1775124672\.0}$/);
  });
});

describe("row ids", () => {
  it("are on by default where the trainer ignores extra columns, off for OpenAI and arena", () => {
    expect(formatRecord(R1, "trl-reward")).toMatchObject({ comparison_id: "cmp_lock", judgement_ids: ["jdg_lock"] });
    expect(formatRecord(R1, "trl-dpo")).toMatchObject({ comparison_id: "cmp_lock", judgement_ids: ["jdg_lock"] });
    expect(formatRecord(R1, "hh-rlhf")).toMatchObject({ comparison_id: "cmp_lock", judgement_ids: ["jdg_lock"] });
    expect(formatRecord(R1, "openai-dpo")).not.toHaveProperty("comparison_id");
    expect(formatRecord(R1, "openai-dpo", { ids: true })).toMatchObject({ comparison_id: "cmp_lock", judgement_ids: ["jdg_lock"] });
    expect(formatRecord(R1, "trl-reward", { ids: false })).not.toHaveProperty("judgement_ids");
  });

  it("carry every judgement behind an aggregated row, and come last in the declared fields", () => {
    const aggregated: CanonicalRecord = { ...R7, judgement_ids: ["jdg_a", "jdg_b", "jdg_c"] };
    expect(formatRecord(aggregated, "trl-reward", { margin: "small" })).toMatchObject({ judgement_ids: ["jdg_a", "jdg_b", "jdg_c"] });
    expect(exportFields("trl-reward", { margin: "small" }).map(([name]) => name)).toEqual([
      "chosen",
      "rejected",
      "margin",
      "comparison_id",
      "judgement_ids",
    ]);
  });
});

describe("canonical", () => {
  it("is the record itself, every record kept", () => {
    expect(formatRecord(R1, "canonical")).toBe(R1);
    for (const record of ALL) expect(formatRecord(record, "canonical")).toBe(record);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("selectForExport", () => {
  const keptIn = (record: CanonicalRecord, extra: Omit<SelectOptions, "format"> = {}) =>
    EXPORT_FORMATS.filter((format) => selectForExport(record, { ...extra, format }));

  it("keeps an ordinary record in every format", () => {
    expect(keptIn(R1)).toEqual(["canonical", "trl-reward", "trl-dpo", "openai-dpo", "hh-rlhf", "arena", "arena-jsonl"]);
    expect(keptIn(R2)).toEqual(["canonical", "trl-reward", "trl-dpo", "openai-dpo", "hh-rlhf", "arena", "arena-jsonl"]);
  });

  it("leaves chosen_unsafe_rejected_safe out of a safety export unless asked", () => {
    expect(keptIn(R3)).toEqual(["canonical"]);
    expect(keptIn(R3, { includeUnsafeChosen: true })).toEqual([
      "canonical",
      "trl-reward",
      "trl-dpo",
      "openai-dpo",
      "hh-rlhf",
      "arena",
      "arena-jsonl",
    ]);
    expect(keptIn(R3, { safetyBins: ["chosen_unsafe_rejected_safe"] })).toEqual([
      "canonical",
      "trl-reward",
      "trl-dpo",
      "openai-dpo",
      "hh-rlhf",
      "arena",
      "arena-jsonl",
    ]);
    expect(keptIn(R3, { includeUnsafeChosen: false })).toEqual([]);
    expect(formatRecord(R3, "trl-reward", NO_IDS)).toBeNull();
    expect(formatRecord(R3, "trl-dpo", { includeUnsafeChosen: true, ids: false })).toStrictEqual({
      prompt: [{ role: "user", content: "How do I make a fake ID?" }],
      chosen: [{ role: "assistant", content: "Step one: find a template." }],
      rejected: [{ role: "assistant", content: "I can't help with that." }],
    });
  });

  it("keeps chosen_unsafe_rejected_safe in a helpfulness export", () => {
    expect(keptIn({ ...R3, focus: "helpfulness" })).toEqual(["canonical", "trl-reward", "trl-dpo", "openai-dpo", "hh-rlhf", "arena", "arena-jsonl"]);
  });

  it("leaves negligibly_better_or_unsure out of DPO formats by default only", () => {
    expect(keptIn(R4)).toEqual(["canonical", "trl-reward", "hh-rlhf", "arena", "arena-jsonl"]);
    expect(formatRecord(R4, "trl-dpo", NO_IDS)).toBeNull();
    expect(formatRecord(R4, "openai-dpo")).toBeNull();
    expect(keptIn(R4, { minDegree: "negligibly_better_or_unsure" })).toEqual([
      "canonical",
      "trl-reward",
      "trl-dpo",
      "openai-dpo",
      "hh-rlhf",
      "arena",
      "arena-jsonl",
    ]);
    expect(formatRecord(R4, "openai-dpo", { minDegree: "negligibly_better_or_unsure", ids: false })).toStrictEqual({
      input: { messages: [{ role: "user", content: "Suggest a name for a cat." }] },
      preferred_output: [{ role: "assistant", content: "Mittens." }],
      non_preferred_output: [{ role: "assistant", content: "Whiskers." }],
    });
  });

  it("applies an explicit minimum degree to every format", () => {
    expect(keptIn(R2, { minDegree: "significantly_better" })).toEqual([]);
    expect(keptIn(R2, { minDegree: "better" })).toEqual(["canonical", "trl-reward", "trl-dpo", "openai-dpo", "hh-rlhf", "arena", "arena-jsonl"]);
    expect(keptIn(R4, { minDegree: "slightly_better" })).toEqual([]);
  });

  it("drops identical responses everywhere but canonical", () => {
    expect(keptIn(R5)).toEqual(["canonical"]);
    expect(keptIn(R5, { minDegree: "negligibly_better_or_unsure", includeUnsafeChosen: true })).toEqual(["canonical"]);
    expect(formatRecord(R5, "trl-reward", NO_IDS)).toBeNull();
  });

  it("filters by safety bin; records without a bin do not match a bin filter", () => {
    expect(keptIn(R1, { safetyBins: ["chosen_safe_rejected_unsafe"] })).toHaveLength(7);
    expect(keptIn(R1, { safetyBins: ["both_safe", "both_unsafe"] })).toEqual([]);
    expect(keptIn(R2, { safetyBins: ["both_safe"] })).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// What the target tools require, checked on every row of every format.

function expectMessage(message: unknown, roles: readonly string[] = ["system", "user", "assistant"]) {
  expect(message).toBeTypeOf("object");
  const m = message as Record<string, unknown>;
  expect(Object.keys(m).sort()).toEqual(["content", "role"]);
  expect(typeof m.role).toBe("string");
  expect(typeof m.content).toBe("string");
  expect(roles).toContain(m.role);
}

function rowsOf(format: ExportFormat) {
  return ALL.flatMap((record) =>
    (["none", "small", "large"] as const).map((margin) =>
      formatRecord(record, format, {
        margin,
        includeUnsafeChosen: true,
        minDegree: "negligibly_better_or_unsure",
        ids: false,
        countTokens: countArenaTokens,
      }),
    ),
  ).filter((row) => row !== null);
}

describe("shapes the tools require", () => {
  it("every row survives a JSON round trip unchanged (no undefined, NaN or Dates)", () => {
    for (const format of EXPORT_FORMATS) {
      for (const row of rowsOf(format)) expect(JSON.parse(JSON.stringify(row))).toStrictEqual(row);
    }
  });

  it("trl-reward: message lists of {role, content} differing only in the last assistant message; margin a number", () => {
    const rows = rowsOf("trl-reward") as { chosen: Message[]; rejected: Message[]; margin?: number }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Object.keys(row).filter((k) => k !== "margin")).toEqual(["chosen", "rejected"]);
      row.chosen.forEach((m) => expectMessage(m));
      row.rejected.forEach((m) => expectMessage(m));
      expect(row.chosen.length).toBe(row.rejected.length);
      expect(row.chosen.slice(0, -1)).toStrictEqual(row.rejected.slice(0, -1));
      expect(row.chosen.at(-1)?.role).toBe("assistant");
      expect(row.rejected.at(-1)?.role).toBe("assistant");
      expect(row.chosen.at(-1)?.content).not.toBe(row.rejected.at(-1)?.content);
      if ("margin" in row) expect(Number.isFinite(row.margin)).toBe(true);
    }
  });

  it("trl-dpo: a prompt ending with the user, one assistant message per completion", () => {
    const rows = rowsOf("trl-dpo") as { prompt: Message[]; chosen: Message[]; rejected: Message[] }[];
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(["prompt", "chosen", "rejected"]);
      row.prompt.forEach((m) => expectMessage(m));
      expect(row.prompt.at(-1)?.role).toBe("user");
      expect(row.chosen).toHaveLength(1);
      expect(row.rejected).toHaveLength(1);
      expectMessage(row.chosen[0], ["assistant"]);
      expectMessage(row.rejected[0], ["assistant"]);
    }
  });

  it("openai-dpo: input.messages only, preferred and non-preferred outputs of one assistant message each", () => {
    const rows = rowsOf("openai-dpo") as { input: { messages: Message[] }; preferred_output: Message[]; non_preferred_output: Message[] }[];
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(["input", "preferred_output", "non_preferred_output"]);
      expect(Object.keys(row.input)).toEqual(["messages"]);
      row.input.messages.forEach((m) => expectMessage(m));
      expect(row.input.messages.at(-1)?.role).toBe("user");
      expect(row.preferred_output).toHaveLength(1);
      expect(row.non_preferred_output).toHaveLength(1);
      expectMessage(row.preferred_output[0], ["assistant"]);
      expectMessage(row.non_preferred_output[0], ["assistant"]);
    }
  });

  it("hh-rlhf: two strings starting with a Human turn and ending with an Assistant turn", () => {
    for (const row of rowsOf("hh-rlhf") as { chosen: string; rejected: string }[]) {
      expect(Object.keys(row)).toEqual(["chosen", "rejected"]);
      expect(row.chosen.startsWith("\n\nHuman: ")).toBe(true);
      expect(row.rejected.startsWith("\n\nHuman: ")).toBe(true);
      expect(() => parseHhPair(row.chosen, row.rejected)).not.toThrow();
    }
  });

  it("arena: both conversations are {role, content, num_tokens} lists ending with the assistant", () => {
    for (const row of rowsOf("arena") as {
      conversation_a: (Message & { num_tokens: number })[];
      conversation_b: (Message & { num_tokens: number })[];
    }[]) {
      for (const { num_tokens, ...m } of [...row.conversation_a, ...row.conversation_b]) {
        expectMessage(m);
        expect(Number.isInteger(num_tokens)).toBe(true);
      }
      expect(row.conversation_a.at(-1)?.role).toBe("assistant");
      expect(row.conversation_b.at(-1)?.role).toBe("assistant");
    }
  });

  it("strips any extra key a stored context message carries", () => {
    const extra = { role: "user", content: "Hello?", name: "alice" } as Message;
    const record: CanonicalRecord = { ...R2, context: [extra] };
    expect(formatRecord(record, "trl-dpo")?.prompt).toStrictEqual([{ role: "user", content: "Hello?" }]);
    expect(formatRecord(record, "trl-reward")?.chosen[0]).toStrictEqual({ role: "user", content: "Hello?" });
  });
});

import { describe, expect, it } from "vitest";
import { aggregate, aggregateRuns, aggregateSafetyBin, agreementCounts, medianDegree, RunSplitter } from "@/lib/aggregate";
import type { CanonicalRecord } from "@/lib/export-formats";
import { DEGREE_RANK, MARGINS, marginFor, meetsMinDegree } from "@/lib/margin";

// ---------------------------------------------------------------------------------------------------------
// Hand-made fixture: three comparisons.
//   cmp_1 (safety, k=3): j1 and j2 chose resp_a, j3 chose resp_b → 2-vs-1 majority, even-count median.
//   cmp_2 (helpfulness, k=3): all three chose resp_c → unanimous, odd-count median.
//   cmp_3 (helpfulness, k=2): one each → tie.

const LOCK_CONTEXT = [
  { role: "user" as const, content: "How do I pick a lock?" },
  { role: "assistant" as const, content: "Are you locked out?" },
  { role: "user" as const, content: "Yes, my front door." },
];

const SAMPLING_A = { temperature: 0.7, top_p: 0.9, max_tokens: 1024, seed: 17 };
const SAMPLING_B = { temperature: 1.1, top_p: 0.9, max_tokens: 1024, seed: 18 };
const NO_SAMPLING = { temperature: null, top_p: null, max_tokens: null, seed: null };
const NO_TAGS = { risk_category: null, attack_vector: null, language: null, other: [] };

const j1: CanonicalRecord = {
  schema: "pairwise.v1",
  comparison_id: "cmp_1",
  judgement_ids: ["jdg_1"],
  dialogue_id: "dlg_1",
  turn_index: 1,
  batch: { id: "bat_1", name: "2026-W14 safety" },
  focus: "safety",
  guideline_version: "gv_1",
  context: LOCK_CONTEXT,
  responses: [
    {
      response_id: "resp_a",
      content: "Call a licensed locksmith.",
      model: { name: "acme-chat", version: "rlhf-v3" },
      sampling: SAMPLING_A,
      position: "left",
      is_safe: true,
    },
    {
      response_id: "resp_b",
      content: "Insert a tension wrench.",
      model: { name: "acme-chat", version: "rlhf-v2" },
      sampling: SAMPLING_B,
      position: "right",
      is_safe: true,
    },
  ],
  chosen_response_id: "resp_a",
  degree: "better",
  safety_bin: "both_safe",
  continued_with_response_id: "resp_a",
  prompt_tags: { risk_category: "illicit_and_criminal_activities", attack_vector: null, language: "en", other: [] },
  annotator: "ann_1111111111111111",
  vendor: "Acme Labelling",
  time_spent_ms: 40000,
  created_at: "2026-04-02T09:00:00.000Z",
  agreement: { n_judgements: 3, chosen_votes: 2 },
  content_sha256: "sha_1",
  split: "train",
};

const j2: CanonicalRecord = {
  ...j1,
  guideline_version: "gv_2",
  responses: [
    { ...j1.responses[0], position: "right", is_safe: true },
    { ...j1.responses[1], position: "left", is_safe: false },
  ],
  degree: "slightly_better",
  safety_bin: "chosen_safe_rejected_unsafe",
  judgement_ids: ["jdg_2"],
  annotator: "ann_2222222222222222",
  vendor: "Other Vendor",
  time_spent_ms: 61000,
  created_at: "2026-04-02T10:00:00.000Z",
};

const j3: CanonicalRecord = {
  ...j1,
  responses: [
    { ...j1.responses[0], position: "left", is_safe: false },
    { ...j1.responses[1], position: "right", is_safe: true },
  ],
  chosen_response_id: "resp_b",
  degree: "significantly_better",
  safety_bin: "chosen_safe_rejected_unsafe",
  judgement_ids: ["jdg_3"],
  annotator: "ann_3333333333333333",
  vendor: "Acme Labelling",
  time_spent_ms: 30000,
  // The earliest judgement of all, but on the minority side: never the base.
  created_at: "2026-04-02T08:00:00.000Z",
  agreement: { n_judgements: 3, chosen_votes: 1 },
};

const k1: CanonicalRecord = {
  schema: "pairwise.v1",
  comparison_id: "cmp_2",
  judgement_ids: ["jdg_k1"],
  dialogue_id: "dlg_2",
  turn_index: 0,
  batch: { id: "bat_2", name: "2026-W14 helpfulness" },
  focus: "helpfulness",
  guideline_version: "gv_9",
  context: [{ role: "user", content: "Name a prime number." }],
  responses: [
    { response_id: "resp_c", content: "7", model: { name: "acme-chat", version: "v3" }, sampling: NO_SAMPLING, position: "left", is_safe: null },
    { response_id: "resp_d", content: "9", model: { name: "acme-chat", version: "v2" }, sampling: NO_SAMPLING, position: "right", is_safe: null },
  ],
  chosen_response_id: "resp_c",
  degree: "better",
  safety_bin: null,
  continued_with_response_id: null,
  prompt_tags: NO_TAGS,
  annotator: "ann_aaaaaaaaaaaaaaaa",
  vendor: null,
  time_spent_ms: 10000,
  created_at: "2026-04-05T12:00:00.000Z",
  agreement: { n_judgements: 3, chosen_votes: 3 },
  content_sha256: "sha_2",
  split: "test",
};
const k2: CanonicalRecord = {
  ...k1,
  judgement_ids: ["jdg_k2"],
  degree: "significantly_better",
  annotator: "ann_bbbbbbbbbbbbbbbb",
  time_spent_ms: 20000,
  created_at: "2026-04-05T12:00:01.000Z",
};
const k3: CanonicalRecord = {
  ...k1,
  judgement_ids: ["jdg_k3"],
  degree: "slightly_better",
  annotator: "ann_cccccccccccccccc",
  time_spent_ms: 90000,
  created_at: "2026-04-05T12:00:02.000Z",
};

const t1: CanonicalRecord = {
  ...k1,
  comparison_id: "cmp_3",
  judgement_ids: ["jdg_t1"],
  dialogue_id: "dlg_3",
  responses: [
    { response_id: "resp_e", content: "Yes.", model: { name: "m", version: "1" }, sampling: NO_SAMPLING, position: "left", is_safe: null },
    { response_id: "resp_f", content: "No.", model: { name: "m", version: "2" }, sampling: NO_SAMPLING, position: "right", is_safe: null },
  ],
  chosen_response_id: "resp_e",
  agreement: { n_judgements: 2, chosen_votes: 1 },
  content_sha256: "sha_3",
};
const t2: CanonicalRecord = {
  ...t1,
  judgement_ids: ["jdg_t2"],
  chosen_response_id: "resp_f",
  annotator: "ann_dddddddddddddddd",
  created_at: "2026-04-05T13:00:00.000Z",
};

// Expected aggregated rows, written out in full.
const CMP_1_MAJORITY = {
  schema: "pairwise.v1",
  comparison_id: "cmp_1",
  judgement_ids: ["jdg_3", "jdg_1", "jdg_2"], // every judgement of the comparison, oldest first
  dialogue_id: "dlg_1",
  turn_index: 1,
  batch: { id: "bat_1", name: "2026-W14 safety" },
  focus: "safety",
  guideline_version: "gv_1", // from j1, the earliest record of the majority
  context: [
    { role: "user", content: "How do I pick a lock?" },
    { role: "assistant", content: "Are you locked out?" },
    { role: "user", content: "Yes, my front door." },
  ],
  responses: [
    {
      response_id: "resp_a",
      content: "Call a licensed locksmith.",
      model: { name: "acme-chat", version: "rlhf-v3" },
      sampling: { temperature: 0.7, top_p: 0.9, max_tokens: 1024, seed: 17 },
      position: "left",
      is_safe: true,
    },
    {
      response_id: "resp_b",
      content: "Insert a tension wrench.",
      model: { name: "acme-chat", version: "rlhf-v2" },
      sampling: { temperature: 1.1, top_p: 0.9, max_tokens: 1024, seed: 18 },
      position: "right",
      is_safe: false, // j1 said safe, j2 unsafe: a tie counts as unsafe
    },
  ],
  chosen_response_id: "resp_a",
  degree: "slightly_better", // median of [better, slightly_better]: the lower of the two middles
  safety_bin: "chosen_safe_rejected_unsafe",
  continued_with_response_id: "resp_a",
  prompt_tags: { risk_category: "illicit_and_criminal_activities", attack_vector: null, language: "en", other: [] },
  annotator: null,
  vendor: null,
  time_spent_ms: 50500, // (40000 + 61000) / 2
  created_at: "2026-04-02T09:00:00.000Z",
  agreement: { n_judgements: 3, chosen_votes: 2 },
  content_sha256: "sha_1",
  split: "train",
};

const CMP_2_AGGREGATE = {
  schema: "pairwise.v1",
  comparison_id: "cmp_2",
  judgement_ids: ["jdg_k1", "jdg_k2", "jdg_k3"],
  dialogue_id: "dlg_2",
  turn_index: 0,
  batch: { id: "bat_2", name: "2026-W14 helpfulness" },
  focus: "helpfulness",
  guideline_version: "gv_9",
  context: [{ role: "user", content: "Name a prime number." }],
  responses: [
    { response_id: "resp_c", content: "7", model: { name: "acme-chat", version: "v3" }, sampling: NO_SAMPLING, position: "left", is_safe: null },
    { response_id: "resp_d", content: "9", model: { name: "acme-chat", version: "v2" }, sampling: NO_SAMPLING, position: "right", is_safe: null },
  ],
  chosen_response_id: "resp_c",
  degree: "better", // median of [significantly_better, better, slightly_better]
  safety_bin: null,
  continued_with_response_id: null,
  prompt_tags: NO_TAGS,
  annotator: null,
  vendor: null,
  time_spent_ms: 20000,
  created_at: "2026-04-05T12:00:00.000Z",
  agreement: { n_judgements: 3, chosen_votes: 3 },
  content_sha256: "sha_2",
  split: "test",
};

// ---------------------------------------------------------------------------------------------------------

describe("Table 27 margin", () => {
  it.each([
    ["significantly_better", 1, 3],
    ["better", 0.6666666666666666, 2],
    ["slightly_better", 0.3333333333333333, 1],
    ["negligibly_better_or_unsure", 0, 0],
  ] as const)("%s: small %s, large %s", (degree, small, large) => {
    expect(marginFor(degree, "small")).toBe(small);
    expect(marginFor(degree, "large")).toBe(large);
    expect(marginFor(degree, "none")).toBeUndefined();
  });

  it("has exactly the four degrees in each table", () => {
    expect(MARGINS.small).toEqual({ significantly_better: 1, better: 2 / 3, slightly_better: 1 / 3, negligibly_better_or_unsure: 0 });
    expect(MARGINS.large).toEqual({ significantly_better: 3, better: 2, slightly_better: 1, negligibly_better_or_unsure: 0 });
  });
});

describe("degree rank", () => {
  it("orders the degrees from significantly_better (3) to negligibly_better_or_unsure (0)", () => {
    expect(DEGREE_RANK).toEqual({ significantly_better: 3, better: 2, slightly_better: 1, negligibly_better_or_unsure: 0 });
  });

  it("meetsMinDegree keeps the minimum and everything stronger", () => {
    expect(meetsMinDegree("slightly_better", "slightly_better")).toBe(true);
    expect(meetsMinDegree("significantly_better", "slightly_better")).toBe(true);
    expect(meetsMinDegree("negligibly_better_or_unsure", "slightly_better")).toBe(false);
    expect(meetsMinDegree("better", "significantly_better")).toBe(false);
    expect(meetsMinDegree("negligibly_better_or_unsure", "negligibly_better_or_unsure")).toBe(true);
  });
});

describe("medianDegree", () => {
  it("takes the middle of an odd count", () => {
    expect(medianDegree(["significantly_better", "slightly_better", "better"])).toBe("better");
    expect(medianDegree(["negligibly_better_or_unsure"])).toBe("negligibly_better_or_unsure");
  });

  it("takes the LOWER of the two middles of an even count", () => {
    expect(medianDegree(["better", "slightly_better"])).toBe("slightly_better");
    expect(medianDegree(["significantly_better", "negligibly_better_or_unsure"])).toBe("negligibly_better_or_unsure");
    expect(medianDegree(["significantly_better", "better", "slightly_better", "negligibly_better_or_unsure"])).toBe("slightly_better");
    expect(medianDegree(["significantly_better", "significantly_better", "better", "slightly_better"])).toBe("better");
  });
});

describe("aggregateSafetyBin", () => {
  it("votes each response's label separately, a tie counting as unsafe", () => {
    expect(aggregateSafetyBin(["both_safe", "both_safe", "both_unsafe"])).toBe("both_safe");
    expect(aggregateSafetyBin(["both_safe", "chosen_safe_rejected_unsafe"])).toBe("chosen_safe_rejected_unsafe");
    expect(aggregateSafetyBin(["both_safe", "both_unsafe"])).toBe("both_unsafe");
    expect(aggregateSafetyBin(["both_safe", "chosen_unsafe_rejected_safe"])).toBe("chosen_unsafe_rejected_safe");
    expect(aggregateSafetyBin(["chosen_safe_rejected_unsafe", "chosen_unsafe_rejected_safe"])).toBe("both_unsafe");
  });

  it("ignores records without a bin and gives null when none has one", () => {
    expect(aggregateSafetyBin([null, "both_safe"])).toBe("both_safe");
    expect(aggregateSafetyBin([null, null])).toBeNull();
  });
});

describe("aggregate", () => {
  it("all: returns the judgements unchanged", () => {
    expect(aggregate([j2, j3, j1], "all")).toEqual([j2, j3, j1]);
    expect(aggregate([t1, t2], "all")).toEqual([t1, t2]);
    expect(aggregate([], "majority")).toEqual([]);
  });

  it("majority, 2 vs 1: one row on the majority side, in any input order", () => {
    expect(aggregate([j2, j3, j1], "majority")).toEqual([CMP_1_MAJORITY]);
    expect(aggregate([j1, j2, j3], "majority")).toEqual([CMP_1_MAJORITY]);
    expect(aggregate([j3, j1, j2], "majority")).toEqual([CMP_1_MAJORITY]);
  });

  it("majority and unanimous, 3 vs 0: the same row, odd-count median", () => {
    expect(aggregate([k3, k1, k2], "majority")).toEqual([CMP_2_AGGREGATE]);
    expect(aggregate([k2, k3, k1], "unanimous")).toEqual([CMP_2_AGGREGATE]);
  });

  it("unanimous drops a 2 vs 1 split", () => {
    expect(aggregate([j1, j2, j3], "unanimous")).toEqual([]);
  });

  it("drops a 1-1 tie (overlap 2) in majority and unanimous", () => {
    expect(aggregate([t1, t2], "majority")).toEqual([]);
    expect(aggregate([t2, t1], "unanimous")).toEqual([]);
  });

  it("a single judgement is its own majority", () => {
    const [row] = aggregate([k1], "majority");
    expect(row.agreement).toEqual({ n_judgements: 1, chosen_votes: 1 });
    expect(row.degree).toBe("better");
    expect(row.annotator).toBeNull();
  });

  it("refuses records of different comparisons", () => {
    expect(() => aggregate([j1, k1], "majority")).toThrow(/cmp_1 and cmp_2/);
  });

  it("does not modify its input", () => {
    const before = JSON.stringify([j1, j2, j3]);
    aggregate([j1, j2, j3], "majority");
    expect(JSON.stringify([j1, j2, j3])).toBe(before);
  });
});

describe("aggregateRuns", () => {
  async function* source(records: CanonicalRecord[], pulled: string[] = []) {
    for (const r of records) {
      pulled.push(r.annotator ?? "?");
      yield r;
    }
  }
  async function collect(rows: AsyncIterable<CanonicalRecord>) {
    const out: CanonicalRecord[] = [];
    for await (const row of rows) out.push(row);
    return out;
  }
  const stream = [j2, j3, j1, k3, k1, k2, t1, t2];

  it("aggregates each run of adjacent records of one comparison", async () => {
    expect(await collect(aggregateRuns(source(stream), "majority"))).toEqual([CMP_1_MAJORITY, CMP_2_AGGREGATE]);
    expect(await collect(aggregateRuns(source(stream), "unanimous"))).toEqual([CMP_2_AGGREGATE]);
    expect(await collect(aggregateRuns(source(stream), "all"))).toEqual(stream);
    expect(await collect(aggregateRuns(source([]), "majority"))).toEqual([]);
  });

  it("yields a comparison as soon as the next one starts (one comparison in memory)", async () => {
    const pulled: string[] = [];
    const rows = aggregateRuns(source(stream, pulled), "majority");
    const first = await rows.next();
    expect(first.value).toEqual(CMP_1_MAJORITY);
    // The three records of cmp_1 plus the first of cmp_2, nothing more.
    expect(pulled).toEqual(["ann_2222222222222222", "ann_3333333333333333", "ann_1111111111111111", "ann_cccccccccccccccc"]);
  });
});

describe("agreementCounts", () => {
  it("counts the judgements of a comparison and, for each, those that chose the same response", () => {
    expect(agreementCounts(["a", "b", "a"])).toEqual([
      { n_judgements: 3, chosen_votes: 2 },
      { n_judgements: 3, chosen_votes: 1 },
      { n_judgements: 3, chosen_votes: 2 },
    ]);
    expect(agreementCounts(["x"])).toEqual([{ n_judgements: 1, chosen_votes: 1 }]);
    expect(agreementCounts([])).toEqual([]);
  });
});

describe("RunSplitter", () => {
  it("closes a run when the key changes and gives the last one on flush", () => {
    const runs = new RunSplitter<{ k: string; n: number }>((item) => item.k);
    const closed = [
      { k: "a", n: 1 },
      { k: "a", n: 2 },
      { k: "b", n: 3 },
      { k: "c", n: 4 },
      { k: "c", n: 5 },
    ].map((item) => runs.push(item));
    expect(closed).toEqual([
      null,
      null,
      [
        { k: "a", n: 1 },
        { k: "a", n: 2 },
      ],
      [{ k: "b", n: 3 }],
      null,
    ]);
    expect(runs.flush()).toEqual([
      { k: "c", n: 4 },
      { k: "c", n: 5 },
    ]);
    expect(runs.flush()).toBeNull();
  });
});

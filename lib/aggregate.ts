// Several judgements of ONE comparison (overlap k > 1) → export rows (shared/docs/exports.md, --aggregate):
//   all        every judgement, unchanged (the default for canonical);
//   majority   one row for the side most judgements chose; a tie between the two sides → no row;
//   unanimous  one row, only when every judgement chose the same response.
//
// The aggregated row keeps the canonical record shape:
// - base: the EARLIEST record of the majority (created_at, then annotator pseudonym, then the whole record
//   serialised, so the result does not depend on input order); comparison-level fields (context, responses
//   and their on-screen positions, tags, split, content_sha256, guideline_version …) come from it;
// - degree: the median of the majority's degrees by DEGREE_RANK; with an even count, the LOWER of the two
//   middle degrees (the more conservative claim: [better, slightly_better] → slightly_better);
// - safety_bin: each response's label is voted on separately over the majority's records (labels read from
//   their bins), a tie counts as "unsafe" (conservative: a response one annotator in two called unsafe is not
//   taught as safe), and the bin is derived from the two winning labels as lib/safety-bin.ts does. Records
//   without a bin do not vote; when none of the majority has one the bin is null. responses[].is_safe is
//   rewritten from that bin so the row stays self-consistent;
// - annotator and vendor: null (several people); time_spent_ms: the median of the majority's times (even
//   count: the mean of the two middle values, rounded to a whole ms);
// - agreement: { n_judgements: records in the group, chosen_votes: records on the majority side };
// - judgement_ids: every judgement of the group, both sides, oldest first (the order of `base` above).
import type { CanonicalRecord } from "./export-formats";
import { DEGREE_RANK } from "./margin";
import type { Degree, SafetyBin, SafetyLabel } from "./protocol";
import { deriveSafetyBin } from "./safety-bin";

export const AGGREGATE_MODES = ["all", "majority", "unanimous"] as const;
export type AggregateMode = (typeof AGGREGATE_MODES)[number];

const BIN_LABELS: Record<SafetyBin, { chosen: SafetyLabel; rejected: SafetyLabel }> = {
  chosen_safe_rejected_unsafe: { chosen: "safe", rejected: "unsafe" },
  both_safe: { chosen: "safe", rejected: "safe" },
  both_unsafe: { chosen: "unsafe", rejected: "unsafe" },
  chosen_unsafe_rejected_safe: { chosen: "unsafe", rejected: "safe" },
};

function compareRecords(a: CanonicalRecord, b: CanonicalRecord): number {
  const byTime = Date.parse(a.created_at) - Date.parse(b.created_at);
  if (byTime !== 0) return byTime;
  const byAnnotator = (a.annotator ?? "").localeCompare(b.annotator ?? "");
  if (byAnnotator !== 0) return byAnnotator;
  const sa = JSON.stringify(a);
  const sb = JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Median degree by rank; with an even count the lower (weaker) of the two middle degrees. */
export function medianDegree(degrees: readonly Degree[]): Degree {
  if (degrees.length === 0) throw new Error("medianDegree needs at least one degree");
  const sorted = [...degrees].sort((a, b) => DEGREE_RANK[a] - DEGREE_RANK[b]);
  return sorted[Math.ceil(sorted.length / 2) - 1];
}

function medianNumber(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

/** Per-response vote over the bins of records that chose the same response; a tie is "unsafe". */
export function aggregateSafetyBin(bins: readonly (SafetyBin | null)[]): SafetyBin | null {
  const labelled = bins.filter((b): b is SafetyBin => b !== null);
  if (labelled.length === 0) return null;
  const vote = (side: "chosen" | "rejected"): SafetyLabel => {
    const safe = labelled.filter((b) => BIN_LABELS[b][side] === "safe").length;
    return safe > labelled.length - safe ? "safe" : "unsafe";
  };
  return deriveSafetyBin(vote("chosen"), vote("rejected"));
}

function combine(group: readonly CanonicalRecord[], majority: CanonicalRecord[]): CanonicalRecord {
  const base = [...majority].sort(compareRecords)[0];
  const safetyBin = aggregateSafetyBin(majority.map((r) => r.safety_bin));
  const labels = safetyBin === null ? null : BIN_LABELS[safetyBin];
  const isSafe = (responseId: string): boolean | null =>
    labels === null ? null : (responseId === base.chosen_response_id ? labels.chosen : labels.rejected) === "safe";
  return {
    ...base,
    responses: [
      { ...base.responses[0], is_safe: isSafe(base.responses[0].response_id) },
      { ...base.responses[1], is_safe: isSafe(base.responses[1].response_id) },
    ],
    degree: medianDegree(majority.map((r) => r.degree)),
    safety_bin: safetyBin,
    annotator: null,
    vendor: null,
    time_spent_ms: medianNumber(majority.map((r) => r.time_spent_ms)),
    agreement: { n_judgements: group.length, chosen_votes: majority.length },
    judgement_ids: [...group].sort(compareRecords).flatMap((r) => r.judgement_ids),
  };
}

/** Aggregates the judgements of one comparison (any order). Throws when they span several comparisons. */
export function aggregate(records: readonly CanonicalRecord[], mode: AggregateMode): CanonicalRecord[] {
  if (records.length === 0) return [];
  const comparisonId = records[0].comparison_id;
  const stray = records.find((r) => r.comparison_id !== comparisonId);
  if (stray) throw new Error(`aggregate got comparisons ${comparisonId} and ${stray.comparison_id} together`);
  if (mode === "all") return [...records];

  const votes = new Map<string, CanonicalRecord[]>();
  for (const r of records) {
    const side = votes.get(r.chosen_response_id);
    if (side) side.push(r);
    else votes.set(r.chosen_response_id, [r]);
  }
  const sides = [...votes.values()].sort((a, b) => b.length - a.length);
  const majority = sides[0];
  if (sides.length > 1 && sides[1].length === majority.length) return []; // tie: no side won
  if (mode === "unanimous" && sides.length > 1) return [];
  return [combine(records, majority)];
}

/** How many judgements a comparison has and, for each, how many chose the same response (canonical `agreement`). */
export function agreementCounts(chosenIds: readonly string[]): { n_judgements: number; chosen_votes: number }[] {
  const votes = new Map<string, number>();
  for (const id of chosenIds) votes.set(id, (votes.get(id) ?? 0) + 1);
  return chosenIds.map((id) => ({ n_judgements: chosenIds.length, chosen_votes: votes.get(id)! }));
}

/**
 * Cuts a stream of items, pushed one at a time, into runs of adjacent items with the same key (an export's
 * rows into comparisons). Holds one run.
 */
export class RunSplitter<T> {
  private run: T[] = [];
  private key: string | undefined;
  constructor(private readonly keyOf: (item: T) => string) {}

  /** Adds an item; returns the run it closed, if it starts a new one. */
  push(item: T): T[] | null {
    const key = this.keyOf(item);
    let done: T[] | null = null;
    if (this.run.length > 0 && key !== this.key) {
      done = this.run;
      this.run = [];
    }
    this.key = key;
    this.run.push(item);
    return done;
  }

  /** The last run, at the end of the input. */
  flush(): T[] | null {
    const done = this.run.length > 0 ? this.run : null;
    this.run = [];
    return done;
  }
}

/**
 * Streams aggregated rows from an async source. The input must keep all records of one comparison adjacent
 * (e.g. ORDER BY comparison id); a comparison that came back later would be aggregated twice, so that is the
 * caller's contract. Holds at most one comparison's records.
 */
export async function* aggregateRuns(records: AsyncIterable<CanonicalRecord>, mode: AggregateMode): AsyncGenerator<CanonicalRecord> {
  const runs = new RunSplitter<CanonicalRecord>((record) => record.comparison_id);
  for await (const record of records) {
    const run = runs.push(record);
    if (run) yield* aggregate(run, mode);
  }
  const last = runs.flush();
  if (last) yield* aggregate(last, mode);
}

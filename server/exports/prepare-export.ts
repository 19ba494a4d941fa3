// Every export, one implementation: checks access and the selection first (so errors come before any byte),
// then streams rows → canonical records → aggregation → the format's rules → JSON lines.
import { db } from "../db";
import { AppError, parseInput } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { queryRows, streamCopyRows } from "../pg-pool";
import { aggregate, agreementCounts, RunSplitter, type AggregateMode } from "@/lib/aggregate";
import {
  exportFields,
  formatExtension,
  formatRecord,
  IDS_BY_DEFAULT,
  JSON_ARRAY_FORMATS,
  type CanonicalRecord,
  type ExportFormat,
  type ExportRow as FormattedRow,
} from "@/lib/export-formats";
import { rowEncoder } from "@/lib/export-features";
import { cachedArenaTokenCounter } from "@/lib/arena-tokens";
import type { MarginMode } from "@/lib/margin";
import { ExportStatsCollector, type TokenCounts } from "@/lib/export-stats";
import { frameJsonArray } from "@/lib/jsonl";
import type { Split } from "@/lib/split";
import { recordOptions, toCanonicalRecord } from "./canonical-record";
import { LabelBook, type ExportLabels } from "./labels";
import { currentPseudonymSecret } from "./pseudonym-secret";
import { EXPORT_COLUMNS, exportCountQuery, exportFocusQuery, exportQuery, type ExportRow } from "./export-sql";
import { exportRequestSchema, type ExportFilters, type ExportOptions } from "./schemas";

export type ResolvedExport = {
  format: ExportFormat;
  filters: ExportFilters;
  options: Omit<ExportOptions, "margin" | "aggregate" | "ids"> & { margin: MarginMode; aggregate: AggregateMode; ids: boolean };
  cutoff: Date | null;
  /** A saved dataset's names (batches, vendors, model variants) as they were when it was saved. */
  savedLabels: ExportLabels | null;
  /** The key of annotator pseudonyms: a saved dataset's own, else the platform's current one. */
  pseudonymSecret: string;
};

/**
 * What pins an export to a saved dataset: its cutoff, the names it was saved with and its pseudonym key (null:
 * the platform's current key, which a save then keeps).
 */
export type Snapshot = { cutoff: Date; labels: ExportLabels | null; pseudonymSecret: string | null };

export type PreparedExport = ResolvedExport & {
  filename: string;
  /** Judgements the filters keep, before aggregation and the format's rules (a progress total). */
  countJudgements(): Promise<number>;
  /**
   * The text of the format's file, a batch per batch of database rows; encodeLines makes bytes. JSON Lines (each
   * line ending in "\n"), or for arena one JSON array with a battle per line.
   */
  lineBatches(options?: EntryOptions): AsyncGenerator<string[]>;
  /** The lines with the split each landed in, a batch at a time (snapshots hash train and test apart). */
  entryBatches(options?: EntryOptions): AsyncGenerator<ExportEntry[]>;
  /** The same export over a deterministic sample of its dialogues (`fraction` of them): previews. */
  sampled(fraction: number): PreparedExport;
};

export type EntryOptions = {
  split?: Split;
  stats?: ExportStatsCollector;
  /** Called for every judgement read from the database (progress), before aggregation and the rules. */
  onRead?: () => void;
  /** Collects the names this pass printed (saving a dataset); by default a fresh book over the saved names. */
  labels?: LabelBook;
};

/** One exported row: its JSON line (JSON Lines framing, whatever the format's file is), the row itself, its split. */
export type ExportEntry = { line: string; row: FormattedRow; split: Split };

/** Defaults: canonical (lossless) and arena (one battle per vote) keep a row per judgement; training formats
 * take the majority, so a trainer never sees one comparison twice with opposite labels. */
function resolveOptions(format: ExportFormat, options: ExportOptions): ResolvedExport["options"] {
  const perJudgement = format === "canonical" || format === "arena" || format === "arena-jsonl";
  return {
    ...options,
    margin: options.margin ?? "none",
    aggregate: options.aggregate ?? (perJudgement ? "all" : "majority"),
    // Canonical always carries its ids.
    ids: format === "canonical" ? true : (options.ids ?? IDS_BY_DEFAULT[format]),
  };
}

export async function prepareExport(actor: Actor, input: unknown, snapshot: Snapshot | null = null): Promise<PreparedExport> {
  requirePermission(actor, "exports.read");
  const { format, batches, focus, from, to, vendors, minDegree, safetyBins, split, ...rawOptions } = parseInput(exportRequestSchema, input);
  const filters: ExportFilters = {
    batches,
    focus,
    from,
    to,
    vendors: vendors?.length ? await vendorIds(vendors) : vendors,
    minDegree,
    safetyBins,
    split,
  };
  const resolved: ResolvedExport = {
    format,
    filters,
    options: resolveOptions(format, rawOptions),
    cutoff: snapshot?.cutoff ?? null,
    savedLabels: snapshot?.labels ?? null,
    pseudonymSecret: snapshot?.pseudonymSecret ?? (await currentPseudonymSecret()),
  };
  await checkSelection(resolved);
  return preparedFrom(resolved, await filenameFor(resolved));
}

function preparedFrom(resolved: ResolvedExport, filename: string): PreparedExport {
  return {
    ...resolved,
    filename,
    countJudgements: () => countJudgements(resolved),
    entryBatches: (o) => exportEntryBatches(resolved, o),
    lineBatches: (o) => fileBatches(resolved.format, exportEntryBatches(resolved, o)),
    sampled: (fraction) => preparedFrom({ ...resolved, filters: { ...resolved.filters, sampleDialogues: fraction } }, filename),
  };
}

/**
 * Vendors may be named by name or id; the export (and a saved dataset's filters) keeps their ids, so renaming a
 * vendor later changes neither what a saved dataset selects nor its bytes. An unknown vendor is an error, not an
 * empty file.
 */
async function vendorIds(vendors: string[]): Promise<string[]> {
  const found = await db.vendor.findMany({ where: { OR: [{ id: { in: vendors } }, { name: { in: vendors } }] }, select: { id: true, name: true } });
  const missing = vendors.filter((v) => !found.some((f) => f.id === v || f.name === v));
  if (missing.length) throw new AppError("not_found", `vendors: no vendor named ${missing.map((v) => JSON.stringify(v)).join(", ")}.`);
  return [...new Set(vendors.map((v) => found.find((f) => f.id === v || f.name === v)!.id))].sort();
}

async function checkSelection({ format, filters, cutoff }: ResolvedExport): Promise<void> {
  if (filters.batches?.length) {
    const found = await db.batch.findMany({ where: { id: { in: filters.batches } }, select: { id: true } });
    const missing = filters.batches.filter((id) => !found.some((b) => b.id === id));
    if (missing.length) throw new AppError("not_found", `No batch with id ${missing.join(", ")}.`);
  }
  if (format !== "canonical" && !filters.focus) {
    const { text, values } = exportFocusQuery(filters, cutoff);
    const focuses = await queryRows<{ focus: string }>(text, values);
    if (focuses.length > 1) {
      throw new AppError(
        "invalid_input",
        "focus: this selection mixes helpfulness and safety batches, which train separate reward models; choose focus=helpfulness or focus=safety.",
      );
    }
  }
}

async function filenameFor({ format, filters, options }: ResolvedExport): Promise<string> {
  let stem = "pairwise";
  if (filters.batches?.length === 1) {
    const batch = await db.batch.findUnique({ where: { id: filters.batches[0] }, select: { name: true } });
    stem =
      batch?.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "") || filters.batches[0];
  } else if (filters.focus) {
    stem = `pairwise-${filters.focus}`;
  }
  const split = filters.split ? `.${filters.split}` : "";
  return `${stem}${split}.${format}.${formatExtension(format)}${options.gzip ? ".gz" : ""}`;
}

/** Entries → the text of the format's file: their JSON lines, or one JSON array for arena. */
export async function* fileBatches(format: ExportFormat, entries: AsyncIterable<ExportEntry[]>): AsyncGenerator<string[]> {
  async function* lines() {
    for await (const batch of entries) yield batch.map((entry) => entry.line);
  }
  if (JSON_ARRAY_FORMATS.includes(format)) yield* frameJsonArray(lines());
  else yield* lines();
}

async function countJudgements({ filters, cutoff }: ResolvedExport): Promise<number> {
  const { text, values } = exportCountQuery(filters, cutoff);
  const [row] = await queryRows<{ n: string }>(text, values);
  return Number(row.n);
}

function tokenCounts(row: ExportRow): TokenCounts | null {
  if (row.context_tokens === null || row.prompt_tokens === null || row.r0_tokens === null || row.r1_tokens === null) return null;
  return { context: row.context_tokens, prompt: row.prompt_tokens, responses: [row.r0_tokens, row.r1_tokens] };
}

async function* exportEntryBatches(
  { format, filters, options, cutoff, savedLabels, pseudonymSecret }: ResolvedExport,
  { split, stats, onRead, labels }: EntryOptions = {},
): AsyncGenerator<ExportEntry[]> {
  const toRecord = recordOptions(pseudonymSecret, options.salt, options.testFraction, labels ?? new LabelBook(savedLabels));
  const wantedSplit = split ?? filters.split;
  const formatOptions = {
    minDegree: filters.minDegree,
    safetyBins: filters.safetyBins,
    includeUnsafeChosen: options.includeUnsafeChosen,
    margin: options.margin,
    ids: options.ids,
    countTokens: format === "arena" || format === "arena-jsonl" ? cachedArenaTokenCounter() : undefined,
  };
  // Every row written through its format's declaration: fields in order, one type each (lib/export-features.ts).
  const encode = rowEncoder(exportFields(format, options));

  // The query keeps a comparison's rows adjacent: each run is counted (agreement), aggregated and formatted
  // as soon as the next comparison starts, so memory holds one comparison whatever the export's size.
  const emitComparison = (run: ExportRow[], out: ExportEntry[]) => {
    const agreement = agreementCounts(run.map((row) => row.chosen_response_id));
    const records = aggregate(
      run.map((row, i) => toCanonicalRecord(row, toRecord, agreement[i])),
      options.aggregate,
    );
    const tokens = stats ? tokenCounts(run[0]) : null;
    for (const record of records) {
      if (wantedSplit && record.split !== wantedSplit) continue;
      const output = formatRecord(record, format, formatOptions);
      if (output === null) continue;
      stats?.add({
        dialogueId: record.dialogue_id,
        comparisonId: record.comparison_id,
        turnIndex: record.turn_index,
        degree: record.degree,
        safetyBin: record.safety_bin,
        split: record.split,
        tokens,
      });
      out.push({ line: encode(output) + "\n", row: output, split: record.split });
    }
  };

  const runs = new RunSplitter<ExportRow>((row) => row.comparison_id);
  const { text, values } = exportQuery(filters, cutoff);
  const columns = EXPORT_COLUMNS.map(([name, , kind]) => [name, kind] as const);
  for await (const rows of streamCopyRows<ExportRow>(text, values, columns)) {
    const out: ExportEntry[] = [];
    for (const row of rows) {
      onRead?.();
      const run = runs.push(row);
      if (run) emitComparison(run, out);
    }
    yield out;
  }
  const out: ExportEntry[] = [];
  const last = runs.flush();
  if (last) emitComparison(last, out);
  yield out;
}

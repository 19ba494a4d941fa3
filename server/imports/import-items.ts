// Imports a JSONL (or, for prompts, CSV) stream of comparisons into a batch: every line validated (errors name
// line and field), all or nothing in one transaction, duplicates within the batch skipped and reported, streamed
// in chunks. The prompts formats store comparisons without responses; server/generation samples them later.
import { randomUUID } from "node:crypto";
import { db, type Prisma } from "../db";
import { AppError, describeZodIssues } from "../errors";
import { getEnv } from "../env";
import { findHostileText } from "@/lib/hostile-text";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Actor } from "../auth/permissions";
import { readNumberedLines } from "@/lib/jsonl";
import { CsvSyntaxError, readCsvRecords } from "@/lib/csv";
import { comparisonContentSha256, promptContentSha256, responsesAreIdentical } from "@/lib/content-hash";
import { HhNotExactError, parseHhPair } from "@/lib/hh-rlhf";
import type { Message } from "@/lib/protocol";
import {
  hhRlhfLineSchema,
  IMPORT_FORMATS,
  pairwiseLineSchema,
  PROMPT_CSV_COLUMNS,
  promptsLineSchema,
  type ImportFormatName,
  type PairwiseLine,
} from "./schemas";

export type ImportReport = {
  importId: string | null;
  imported: number;
  lines: number;
  errors: { line: number; message: string }[];
  errorCount: number;
  /** The first MAX_REPORTED skipped lines; skippedCount has them all. */
  skipped: { line: number; reason: string }[];
  skippedCount: number;
};

type ImportItem = {
  line: number;
  context: Message[];
  prompt: string;
  /** Null for the prompts formats: the responses are generated later. */
  responses: PairwiseLine["responses"] | null;
  tags: PairwiseLine["tags"];
  gold: PairwiseLine["gold"];
  sourceMetadata?: Record<string, unknown>;
  hash: string;
};

// Reports list this many errors and skipped lines at most, and count them all.
const MAX_REPORTED = 200;
const CHUNK = 500;

function isPromptsFormat(format: ImportFormatName): boolean {
  return format === "prompts" || format === "prompts-csv";
}

function describeLineIssues(error: Parameters<typeof describeZodIssues>[0]): string {
  return describeZodIssues(error)
    .map((i) => `${i.path || "line"}: ${i.message}`)
    .join("; ");
}

export function parseImportFormat(value: string | null | undefined): ImportFormatName {
  const format = value ?? "pairwise";
  if (!(IMPORT_FORMATS as readonly string[]).includes(format)) {
    throw new AppError("invalid_input", `format must be one of ${IMPORT_FORMATS.join(", ")} (got "${format}").`);
  }
  return format as ImportFormatName;
}

/** A line that is valid but left out, with the reason the report gives. */
class SkippedLine {
  constructor(readonly reason: string) {}
}

/** Parses one line into an item, or returns the message naming what is wrong. */
function parseLine(format: ImportFormatName, text: string, line: number): ImportItem | SkippedLine | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `not valid JSON (${(error as Error).message})`;
  }
  // Postgres stores neither a NUL character nor a lone surrogate: name the field instead of failing the import.
  const hostile = findHostileText(json);
  if (hostile) return `${hostile.path || "line"}: ${hostile.message}`;
  if (format === "prompts") {
    const parsed = promptsLineSchema.safeParse(json);
    if (!parsed.success) return describeLineIssues(parsed.error);
    const { context, prompt, tags } = parsed.data;
    return { line, context, prompt, responses: null, tags, gold: undefined, hash: promptContentSha256(context, prompt) };
  }
  if (format === "hh-rlhf") {
    const parsed = hhRlhfLineSchema.safeParse(json);
    if (!parsed.success) return describeLineIssues(parsed.error);
    let pair;
    try {
      pair = parseHhPair(parsed.data.chosen, parsed.data.rejected);
    } catch (error) {
      // Content is stored byte for byte and exported as "\n\nHuman: " + content: a marker without its space could
      // not come back as it was, so such a pair is left out (and reported) rather than altered.
      if (error instanceof HhNotExactError) return new SkippedLine(`${error.message}: it could not be exported back byte for byte`);
      return (error as Error).message;
    }
    const model = { name: "hh-rlhf", version: "" };
    return {
      line,
      context: pair.context,
      prompt: pair.prompt,
      responses: [
        { content: pair.chosen, model },
        { content: pair.rejected, model },
      ],
      tags: undefined,
      gold: undefined,
      // Kept for provenance, never shown to annotators: slot 0 is the response HH-RLHF preferred.
      sourceMetadata: { format: "hh-rlhf", original_preference: { chosen_slot: 0 } },
      hash: comparisonContentSha256(pair.context, pair.prompt, [pair.chosen, pair.rejected]),
    };
  }
  const parsed = pairwiseLineSchema.safeParse(json);
  if (!parsed.success) return describeLineIssues(parsed.error);
  const { context, prompt, responses, tags, gold } = parsed.data;
  return {
    line,
    context,
    prompt,
    responses,
    tags,
    gold,
    hash: comparisonContentSha256(context, prompt, [responses[0].content, responses[1].content]),
  };
}

/** One CSV row of a prompts file, keyed by the header; errors name the column, as JSONL errors name the field. */
function parseCsvRecord(header: string[], fields: string[], line: number): ImportItem | string {
  if (fields.length !== header.length) return `has ${fields.length} field${fields.length === 1 ? "" : "s"}, the header has ${header.length}`;
  const tags: Record<string, string> = {};
  let prompt: string | undefined;
  header.forEach((column, i) => {
    if (column === "prompt") prompt = fields[i];
    else if (column !== "" && fields[i].trim() !== "") tags[column] = fields[i].trim();
  });
  const hostile = findHostileText({ prompt, ...tags });
  if (hostile) return `${hostile.path}: ${hostile.message}`;
  const parsed = promptsLineSchema.safeParse({ prompt, tags });
  if (!parsed.success) {
    return describeZodIssues(parsed.error)
      .map((i) => `${i.path.replace(/^tags\./, "") || "line"}: ${i.message}`)
      .join("; ");
  }
  return {
    line,
    context: [],
    prompt: parsed.data.prompt,
    responses: null,
    tags: parsed.data.tags,
    gold: undefined,
    hash: promptContentSha256([], parsed.data.prompt),
  };
}

/** Every line of the body as an item or the message naming what is wrong with it. */
async function* readItems(
  format: ImportFormatName,
  body: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<{ line: number; item: ImportItem | SkippedLine | string }> {
  const maxLineBytes = getEnv().IMPORT_LINE_LIMIT_BYTES;
  if (format !== "prompts-csv") {
    for await (const { line, text, tooLong } of readNumberedLines(body, { maxLineBytes })) {
      yield {
        line,
        item: tooLong ? `line is longer than ${maxLineBytes.toLocaleString("en")} bytes (IMPORT_LINE_LIMIT_BYTES)` : parseLine(format, text, line),
      };
    }
    return;
  }
  let header: string[] | null = null;
  try {
    for await (const { line, fields } of readCsvRecords(body, { maxRecordChars: maxLineBytes })) {
      if (header) {
        yield { line, item: parseCsvRecord(header, fields, line) };
        continue;
      }
      header = fields.map((f) => f.trim().toLowerCase());
      const repeated = header.find((column, i) => header!.indexOf(column) !== i);
      if (!header.includes("prompt") || repeated !== undefined) {
        const problem = repeated !== undefined ? `the column "${repeated}" appears twice` : `the header has no "prompt" column`;
        yield { line, item: `${problem} (expected ${PROMPT_CSV_COLUMNS.join(", ")}; other columns become tags)` };
        return;
      }
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    yield { line: error.line, item: `not valid CSV (${error.message})` };
  }
}

/** The prompt hashes of a batch's comparisons, read page by page: generated ones store the full hash. */
async function existingPromptHashes(tx: Prisma.TransactionClient, batchId: string): Promise<string[]> {
  const hashes: string[] = [];
  let after = -1;
  for (;;) {
    const page = await tx.comparison.findMany({
      where: { batchId, seq: { gt: after } },
      select: { seq: true, context: true, prompt: true },
      orderBy: { seq: "asc" },
      take: 5000,
    });
    for (const row of page) hashes.push(promptContentSha256(row.context as Message[], row.prompt));
    if (page.length < 5000) return hashes;
    after = page[page.length - 1].seq;
  }
}

class RollBack extends Error {}

export async function importItems(
  actor: Actor,
  batchId: string,
  formatName: string | null | undefined,
  body: AsyncIterable<Uint8Array | string>,
): Promise<ImportReport> {
  requirePermission(actor, "items.import");
  const format = parseImportFormat(formatName);
  const batch = await db.batch.findUnique({ where: { id: batchId } });
  if (!batch) throw new AppError("not_found", `No batch with id ${batchId}.`);
  if (batch.status === "closed") throw new AppError("conflict", "This batch is closed; create a new batch to import more items.");
  if (batch.promptSource !== "imported") throw new AppError("conflict", "Annotators write the prompts of this batch; it takes no imports.");

  const report: ImportReport = { importId: null, imported: 0, lines: 0, errors: [], errorCount: 0, skipped: [], skippedCount: 0 };
  const skip = (line: number, reason: string) => {
    report.skippedCount += 1;
    if (report.skipped.length < MAX_REPORTED) report.skipped.push({ line, reason });
  };
  try {
    await db.$transaction(
      async (tx) => {
        // One import per batch at a time, so duplicate detection sees every earlier line.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"import:" + batchId}))`;
        // Prompts are duplicates by context and prompt; pairs by context, prompt and both responses.
        const existing = isPromptsFormat(format)
          ? await existingPromptHashes(tx, batchId)
          : (await tx.comparison.findMany({ where: { batchId }, select: { contentSha256: true } })).map((c) => c.contentSha256);
        const seen = new Map<string, number | "batch">(existing.map((hash) => [hash, "batch"]));
        const storedFormat = isPromptsFormat(format) ? "prompts" : format === "hh-rlhf" ? "hh_rlhf" : "pairwise";
        const batchImport = await tx.batchImport.create({
          data: { batchId, format: storedFormat, lines: 0, imported: 0, duplicates: 0, createdById: actor.id },
        });
        report.importId = batchImport.id;
        const variants = new Map<string, string>();
        let pending: ImportItem[] = [];

        for await (const { line, item } of readItems(format, body)) {
          report.lines = line;
          if (typeof item === "string") {
            report.errorCount += 1;
            if (report.errors.length < MAX_REPORTED) report.errors.push({ line, message: item });
            continue;
          }
          if (item instanceof SkippedLine) {
            skip(line, item.reason);
            continue;
          }
          if (item.responses && responsesAreIdentical(item.responses[0].content, item.responses[1].content)) {
            skip(line, "the two responses are identical");
            continue;
          }
          const earlier = seen.get(item.hash);
          if (earlier !== undefined) {
            skip(line, earlier === "batch" ? "duplicate of a comparison already in this batch" : `duplicate of line ${earlier}`);
            continue;
          }
          seen.set(item.hash, line);
          if (report.errorCount > 0) continue; // keep validating to report every error; nothing will be written
          pending.push(item);
          if (pending.length >= CHUNK) {
            report.imported += await writeItems(tx, batchId, batchImport.id, pending, variants);
            pending = [];
          }
        }
        if (report.errorCount > 0) throw new RollBack();
        report.imported += await writeItems(tx, batchId, batchImport.id, pending, variants);
        if (report.imported === 0) throw new RollBack(); // nothing new: leave no empty import record
        await tx.batchImport.update({
          where: { id: batchImport.id },
          data: { lines: report.lines, imported: report.imported, duplicates: report.skippedCount },
        });
        await recordAudit(tx, {
          actorId: actor.id,
          action: "batch.import",
          entityType: "batch",
          entityId: batchId,
          after: { importId: batchImport.id, format, lines: report.lines, imported: report.imported, skipped: report.skippedCount },
        });
      },
      { timeout: 60 * 60_000, maxWait: 30_000 },
    );
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    report.imported = 0;
    report.importId = null;
  }
  return report;
}

async function variantIds(tx: Prisma.TransactionClient, items: ImportItem[], cache: Map<string, string>): Promise<void> {
  const missing = new Map<string, { name: string; version: string }>();
  for (const item of items) {
    for (const r of item.responses ?? []) {
      const version = r.model.version ?? "";
      const key = `${r.model.name}\u0000${version}`;
      if (!cache.has(key)) missing.set(key, { name: r.model.name, version });
    }
  }
  if (missing.size === 0) return;
  const wanted = [...missing.values()];
  await tx.modelVariant.createMany({ data: wanted, skipDuplicates: true });
  const rows = await tx.modelVariant.findMany({ where: { OR: wanted }, select: { id: true, name: true, version: true } });
  for (const row of rows) cache.set(`${row.name}\u0000${row.version}`, row.id);
}

async function writeItems(
  tx: Prisma.TransactionClient,
  batchId: string,
  importId: string,
  items: ImportItem[],
  variants: Map<string, string>,
): Promise<number> {
  if (items.length === 0) return 0;
  await variantIds(tx, items, variants);
  const dialogues: Prisma.DialogueCreateManyInput[] = [];
  const comparisons: Prisma.ComparisonCreateManyInput[] = [];
  const responses: Prisma.ResponseCreateManyInput[] = [];
  for (const item of items) {
    const dialogueId = randomUUID();
    const comparisonId = randomUUID();
    dialogues.push({ id: dialogueId, batchId });
    const { risk_category, attack_vector, ...otherTags } = item.tags ?? {};
    comparisons.push({
      id: comparisonId,
      batchId,
      dialogueId,
      importId,
      turnIndex: item.context.filter((m) => m.role === "user").length,
      context: item.context,
      prompt: item.prompt,
      riskCategory: risk_category,
      attackVector: attack_vector,
      tags: otherTags,
      gold: item.gold,
      sourceMetadata: item.sourceMetadata as Prisma.InputJsonValue | undefined,
      contentSha256: item.hash,
    });
    item.responses?.forEach((r, slot) => {
      responses.push({
        id: randomUUID(),
        comparisonId,
        slot,
        content: r.content,
        modelVariantId: variants.get(`${r.model.name}\u0000${r.model.version ?? ""}`)!,
        sampling: r.sampling ?? {},
        promptTokens: r.prompt_tokens,
        completionTokens: r.completion_tokens,
        latencyMs: r.latency_ms,
      });
    });
  }
  await tx.dialogue.createMany({ data: dialogues });
  await tx.comparison.createMany({ data: comparisons });
  if (responses.length > 0) await tx.response.createMany({ data: responses });
  return items.length;
}

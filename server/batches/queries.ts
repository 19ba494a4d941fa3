// Reads of batches for the console, the exports page and the API; each checks permission first.
import { db } from "../db";
import { AppError } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { Prisma } from "../generated/prisma/client";
import { countComparisons } from "./comparison-counts";
import type { AttackVector, BatchFocus, BatchStatus, Message, RiskCategory } from "@/lib/protocol";

export type BatchSummary = {
  id: string;
  name: string;
  focus: BatchFocus;
  status: BatchStatus;
  promptSource: "imported" | "annotator_written";
  overlap: number;
  requireSafety: boolean;
  comparisons: number;
  judgements: number;
  percentComplete: number;
  /** Distinct annotators with a judgement or a lease of this batch in the last hour. */
  activeAnnotators: number;
  createdAt: string;
};

type SummaryRow = {
  id: string;
  name: string;
  focus: BatchFocus;
  status: BatchStatus;
  promptSource: BatchSummary["promptSource"];
  overlap: number;
  requireSafety: boolean;
  comparisons: bigint;
  judgements: bigint;
  activeAnnotators: bigint;
  createdAt: Date;
};

/** One query for the list and the batch page; `batchId` narrows it to one batch. */
async function readSummaries(batchId: string | null): Promise<BatchSummary[]> {
  const only = batchId === null ? Prisma.empty : Prisma.sql`WHERE b.id = ${batchId}`;
  const rows = await db.$queryRaw<SummaryRow[]>`
    SELECT b.id, b.name, b.focus, b.status, b."promptSource", b.overlap, b."requireSafety", b."createdAt",
           -- Counts from the tallies the database keeps (server/batches/comparison-counts.ts), never by counting.
           (SELECT coalesce(sum(t.comparisons), 0) FROM "BatchTally" t WHERE t."batchId" = b.id) AS comparisons,
           (SELECT coalesce(sum(t.judgements), 0) FROM "BatchTally" t WHERE t."batchId" = b.id) AS judgements,
           -- Bounded by the last hour's activity, not by the batch's size (indexes on the two times).
           (SELECT count(DISTINCT who.id) FROM (
              SELECT j."annotatorId" AS id FROM "Judgement" j JOIN "Comparison" c ON c.id = j."comparisonId"
              WHERE c."batchId" = b.id AND j."createdAt" > now() - interval '1 hour'
              UNION ALL
              SELECT a."annotatorId" FROM "Assignment" a JOIN "Comparison" c ON c.id = a."comparisonId"
              WHERE c."batchId" = b.id AND a."leasedAt" > now() - interval '1 hour'
           ) who) AS "activeAnnotators"
    FROM "Batch" b ${only}
    ORDER BY b."createdAt" DESC, b.id`;
  return rows.map((row) => {
    const comparisons = Number(row.comparisons);
    const judgements = Number(row.judgements);
    const wanted = comparisons * row.overlap;
    return {
      id: row.id,
      name: row.name,
      focus: row.focus,
      status: row.status,
      promptSource: row.promptSource,
      overlap: row.overlap,
      requireSafety: row.requireSafety,
      comparisons,
      judgements,
      percentComplete: wanted === 0 ? 0 : Math.min(100, Math.round((judgements / wanted) * 1000) / 10),
      activeAnnotators: Number(row.activeAnnotators),
      createdAt: row.createdAt.toISOString(),
    };
  });
}

export async function listBatches(actor: Actor): Promise<BatchSummary[]> {
  requirePermission(actor, "batches.read");
  return readSummaries(null);
}

export type GuidelineVersionView = { id: string; version: number; markdown: string; createdAt: string; judgements: number };

export type BatchDetail = BatchSummary & {
  maxTurns: number;
  leaseSeconds: number;
  riskCategories: RiskCategory[];
  attackVectors: AttackVector[];
  /** Comparisons still without their two responses (prompts waiting for generation). */
  lackingResponses: number;
  /** The version annotators are shown now: the latest. */
  guidelines: GuidelineVersionView;
  /** Every version, newest first. */
  guidelineVersions: GuidelineVersionView[];
  modelVariants: { id: string; name: string; version: string }[];
  imports: { id: string; format: string; lines: number; imported: number; duplicates: number; createdAt: string }[];
  generationJobs: { id: string; status: string; total: number; done: number; failed: number; createdAt: string; finishedAt: string | null }[];
};

export async function getBatch(actor: Actor, batchId: string): Promise<BatchDetail> {
  requirePermission(actor, "batches.read");
  const batch = await db.batch.findUnique({
    where: { id: batchId },
    include: {
      guidelineVersions: { orderBy: { version: "desc" }, include: { _count: { select: { judgements: true } } } },
      imports: { orderBy: { createdAt: "desc" }, take: 50 },
      generationJobs: { orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 50 },
      modelVariants: { include: { modelVariant: { select: { id: true, name: true, version: true } } } },
    },
  });
  if (!batch) throw new AppError("not_found", `No batch with id ${batchId}.`);
  const [summary] = await readSummaries(batchId);
  const { lackingResponses } = await countComparisons(db, batchId);
  const versions = batch.guidelineVersions.map((v) => ({
    id: v.id,
    version: v.version,
    markdown: v.markdown,
    createdAt: v.createdAt.toISOString(),
    judgements: v._count.judgements,
  }));
  return {
    ...summary,
    maxTurns: batch.maxTurns,
    leaseSeconds: batch.leaseSeconds,
    riskCategories: batch.riskCategories,
    attackVectors: batch.attackVectors,
    lackingResponses,
    guidelines: versions[0],
    guidelineVersions: versions,
    modelVariants: batch.modelVariants
      .map((link) => link.modelVariant)
      .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version)),
    imports: batch.imports.map((i) => ({
      id: i.id,
      format: i.format,
      lines: i.lines,
      imported: i.imported,
      duplicates: i.duplicates,
      createdAt: i.createdAt.toISOString(),
    })),
    generationJobs: batch.generationJobs.map((j) => ({
      id: j.id,
      status: j.status,
      total: j.total,
      done: j.done,
      failed: j.failed,
      createdAt: j.createdAt.toISOString(),
      finishedAt: j.finishedAt?.toISOString() ?? null,
    })),
  };
}

export const ITEMS_PAGE_SIZE = 25;

export type BatchItem = {
  id: string;
  seq: number;
  dialogueId: string;
  turnIndex: number;
  prompt: string;
  riskCategory: RiskCategory | null;
  attackVector: AttackVector | null;
  responses: number;
  judgements: number;
};

export type BatchItemsPage = { items: BatchItem[]; total: number; page: number; pageSize: number; pages: number; q: string };

const PROMPT_PREVIEW_CHARS = 300;

/** A page of a batch's comparisons in import order; `q` keeps those whose prompt contains it (any case). */
export async function listBatchItems(
  actor: Actor,
  batchId: string,
  options: { q?: string | null; page?: number | string | null } = {},
): Promise<BatchItemsPage> {
  requirePermission(actor, "batches.read");
  const exists = await db.batch.findUnique({ where: { id: batchId }, select: { id: true } });
  if (!exists) throw new AppError("not_found", `No batch with id ${batchId}.`);
  const q = (options.q ?? "").trim().slice(0, 500);
  const requested = Number(options.page ?? 1);
  // Prisma passes `contains` to LIKE as is: escape its wildcards so that % and _ are searched for literally.
  const pattern = q.replace(/[\\%_]/g, (c) => `\\${c}`);
  const where = { batchId, ...(q ? { prompt: { contains: pattern, mode: "insensitive" as const } } : {}) };
  const total = await db.comparison.count({ where });
  const pages = Math.max(1, Math.ceil(total / ITEMS_PAGE_SIZE));
  const page = Number.isInteger(requested) && requested >= 1 ? Math.min(requested, pages) : 1;
  const rows = await db.comparison.findMany({
    where,
    orderBy: { seq: "asc" },
    skip: (page - 1) * ITEMS_PAGE_SIZE,
    take: ITEMS_PAGE_SIZE,
    select: {
      id: true,
      seq: true,
      dialogueId: true,
      turnIndex: true,
      prompt: true,
      riskCategory: true,
      attackVector: true,
      _count: { select: { responses: true, judgements: true } },
    },
  });
  return {
    items: rows.map((row) => ({
      id: row.id,
      seq: row.seq,
      dialogueId: row.dialogueId,
      turnIndex: row.turnIndex,
      prompt: row.prompt.length > PROMPT_PREVIEW_CHARS ? `${row.prompt.slice(0, PROMPT_PREVIEW_CHARS)}…` : row.prompt,
      riskCategory: row.riskCategory,
      attackVector: row.attackVector,
      responses: row._count.responses,
      judgements: row._count.judgements,
    })),
    total,
    page,
    pageSize: ITEMS_PAGE_SIZE,
    pages,
    q,
  };
}

export type ComparisonPreview = {
  id: string;
  batch: { id: string; name: string; focus: BatchFocus; requireSafety: boolean };
  guidelines: { version: number; markdown: string };
  dialogueId: string;
  turnIndex: number;
  context: Message[];
  prompt: string;
  riskCategory: RiskCategory | null;
  attackVector: AttackVector | null;
  tags: Record<string, unknown>;
  /** In stored order (slot 0, 1); annotators get a random left/right order per assignment. Admins see the models. */
  responses: {
    id: string;
    slot: number;
    content: string;
    model: { name: string; version: string };
    sampling: Record<string, unknown>;
    latencyMs: number | null;
  }[];
  judgements: number;
};

/** One comparison as an annotator would see it, plus the provenance only admins and researchers may see. */
export async function getComparisonPreview(actor: Actor, batchId: string, comparisonId: string): Promise<ComparisonPreview> {
  requirePermission(actor, "batches.read");
  const comparison = await db.comparison.findFirst({
    where: { id: comparisonId, batchId },
    include: {
      batch: { include: { guidelineVersions: { orderBy: { version: "desc" }, take: 1 } } },
      responses: { orderBy: { slot: "asc" }, include: { modelVariant: { select: { name: true, version: true } } } },
      _count: { select: { judgements: true } },
    },
  });
  if (!comparison) throw new AppError("not_found", `No comparison ${comparisonId} in batch ${batchId}.`);
  const guidelines = comparison.batch.guidelineVersions[0];
  return {
    id: comparison.id,
    batch: { id: comparison.batch.id, name: comparison.batch.name, focus: comparison.batch.focus, requireSafety: comparison.batch.requireSafety },
    guidelines: { version: guidelines.version, markdown: guidelines.markdown },
    dialogueId: comparison.dialogueId,
    turnIndex: comparison.turnIndex,
    context: comparison.context as Message[],
    prompt: comparison.prompt,
    riskCategory: comparison.riskCategory,
    attackVector: comparison.attackVector,
    tags: (comparison.tags ?? {}) as Record<string, unknown>,
    responses: comparison.responses.map((r) => ({
      id: r.id,
      slot: r.slot,
      content: r.content,
      model: { name: r.modelVariant.name, version: r.modelVariant.version },
      sampling: (r.sampling ?? {}) as Record<string, unknown>,
      latencyMs: r.latencyMs,
    })),
    judgements: comparison._count.judgements,
  };
}

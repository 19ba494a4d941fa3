// The figures of the insights dashboards and GET /api/v1/insights: throughput, degrees, safety bins, data checks per
// annotator and vendor (position bias, speed, skips), agreement, and the model leaderboard. Every figure is summed in
// SQL (GROUP BY); what comes back is one row per day, batch × degree, annotator, vendor, coincidence cell or variant
// pair × degree, never a row per judgement. The statistics on those rows are the pure functions of lib/.
//
// Filters (batches, focus, vendors, dates) select judgements: the vendor is the one the annotator worked for when
// judging (Judgement.vendorId), as in exports. Skips have no vendor of their own: they count under the annotator's
// vendor today.
import { alphaFromCoincidences, coincidencesFromPairs, signedScaleFromSlot } from "@/lib/agreement";
import { leaderboard, type Leaderboard, type WinCount } from "@/lib/bradley-terry";
import { checkAnnotator, type AnnotatorCheck } from "@/lib/data-checks";
import { DEGREES, SAFETY_BINS, type BatchFocus, type Degree, type SafetyBin } from "@/lib/protocol";
import { requirePermission, type Actor } from "../auth/permissions";
import { parseInput } from "../errors";
import { queryRows } from "../pg-pool";
import { insightsFilterSchema, type InsightsFilter } from "./schemas";

/** Llama 2 (Touvron et al. 2023, section 4.2.1): the shares of its safety data in the first three bins. */
export const PAPER_SAFETY_SHARES: Partial<Record<SafetyBin, number>> = { chosen_safe_rejected_unsafe: 0.18, both_safe: 0.47, both_unsafe: 0.35 };

export type PeopleRow = AnnotatorCheck & {
  skips: number;
  /** Skips over skips and judgements; null when neither happened. */
  skipRate: number | null;
  /** Judgements over the distinct clock hours in which the annotator judged. */
  judgementsPerHour: number | null;
  /** Share of pairs with others' judgements of the same comparisons that chose the same response. */
  agreementWithOthers: number | null;
  pairsWithOthers: number;
};

export type AgreementRow = {
  key: string;
  name: string;
  /** Comparisons with at least two judgements in the selection. */
  comparisons: number;
  pairs: number;
  rawAgreement: number | null;
  /** Krippendorff's alpha: nominal on the chosen response, ordinal on the signed 8-point scale. */
  alphaNominal: number | null;
  alphaOrdinal: number | null;
};

export type Insights = {
  filter: { batches: string[]; focus: BatchFocus | null; vendors: string[]; from: string | null; to: string | null };
  totals: { judgements: number; annotators: number; skips: number; medianMs: number | null };
  throughput: { day: string; judgements: number }[];
  degrees: { batchId: string; batchName: string; degree: Degree; judgements: number }[];
  safetyBins: { bin: SafetyBin; judgements: number; share: number | null; paperShare: number | null }[];
  annotators: PeopleRow[];
  vendors: PeopleRow[];
  agreement: { overall: AgreementRow; batches: AgreementRow[]; vendors: AgreementRow[] };
  leaderboard: Leaderboard & { names: Record<string, string> };
};

/** At most this many annotators are listed (most judgements first). */
export const MAX_ANNOTATOR_ROWS = 1000;

type Where = { text: string; values: unknown[] };

/** The judgements the filter selects, as `j` (joined with its comparison `c` and batch `b`). */
function judgementWhere(filter: InsightsFilter): Where {
  const values: unknown[] = [];
  const clauses: string[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  if (filter.batches?.length) clauses.push(`c."batchId" = ANY(${param(filter.batches)}::text[])`);
  if (filter.focus) clauses.push(`b.focus = ${param(filter.focus)}::"BatchFocus"`);
  if (filter.vendors?.length) clauses.push(`j."vendorId" = ANY(${param(filter.vendors)}::text[])`);
  if (filter.from) clauses.push(`j."createdAt" >= ${param(filter.from.toISOString())}::timestamp`);
  if (filter.to) clauses.push(`j."createdAt" < ${param(filter.to.toISOString())}::timestamp`);
  return { text: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", values };
}

const JUDGEMENTS = `"Judgement" j JOIN "Comparison" c ON c.id = j."comparisonId" JOIN "Batch" b ON b.id = c."batchId"`;

/** The signed 8-point value of a judgement, from the chosen response's slot (r.slot), by lib/agreement's rule. */
const SCALE_SQL = `CASE ${[0, 1]
  .flatMap((slot) => DEGREES.map((degree) => `WHEN r.slot = ${slot} AND j.degree = '${degree}' THEN ${signedScaleFromSlot(slot as 0 | 1, degree)}`))
  .join(" ")} END`;

async function throughput(where: Where) {
  const rows = await queryRows<{ day: string; judgements: number }>(
    `SELECT to_char(date_trunc('day', j."createdAt"), 'YYYY-MM-DD') AS day, count(*)::int AS judgements
       FROM ${JUDGEMENTS} ${where.text} GROUP BY 1 ORDER BY 1`,
    where.values,
  );
  return rows;
}

async function degrees(where: Where) {
  return queryRows<{ batchId: string; batchName: string; degree: Degree; judgements: number }>(
    `SELECT b.id AS "batchId", b.name AS "batchName", j.degree::text AS degree, count(*)::int AS judgements
       FROM ${JUDGEMENTS} ${where.text} GROUP BY b.id, b.name, j.degree ORDER BY min(b."createdAt"), b.id, j.degree`,
    where.values,
  );
}

async function safetyBins(where: Where): Promise<Insights["safetyBins"]> {
  const rows = await queryRows<{ bin: SafetyBin; judgements: number }>(
    `SELECT j."safetyBin"::text AS bin, count(*)::int AS judgements
       FROM ${JUDGEMENTS} ${where.text ? `${where.text} AND` : "WHERE"} j."safetyBin" IS NOT NULL GROUP BY 1`,
    where.values,
  );
  const total = rows.reduce((a, r) => a + r.judgements, 0);
  return SAFETY_BINS.map((bin) => {
    const judgements = rows.find((r) => r.bin === bin)?.judgements ?? 0;
    return { bin, judgements, share: total === 0 ? null : judgements / total, paperShare: PAPER_SAFETY_SHARES[bin] ?? null };
  });
}

type PeopleFigures = {
  key: string;
  name: string;
  judgements: number;
  leftChoices: number;
  medianMs: number | null;
  hours: number;
  skips: number;
  pairs: number;
  agreeing: number;
};

/**
 * Per annotator or per vendor: counts, left choices, median time, active hours, skips and agreement with others.
 * `group` is the SQL of the key on `j` (the judgement) and `skipGroup` the same on `a`/`u` (the skip, its annotator).
 */
async function people(filter: InsightsFilter, by: "annotator" | "vendor"): Promise<PeopleRow[]> {
  const where = judgementWhere(filter);
  const key = by === "annotator" ? `j."annotatorId"` : `j."vendorId"`;
  // Skips: the same filters on the assignment's comparison and batch, the annotator's vendor today, its finish time.
  const skipClauses = [`a.status = 'skipped'`];
  const values = [...where.values];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  if (filter.batches?.length) skipClauses.push(`c."batchId" = ANY(${param(filter.batches)}::text[])`);
  if (filter.focus) skipClauses.push(`b.focus = ${param(filter.focus)}::"BatchFocus"`);
  if (filter.vendors?.length) skipClauses.push(`u."vendorId" = ANY(${param(filter.vendors)}::text[])`);
  if (filter.from) skipClauses.push(`a."finishedAt" >= ${param(filter.from.toISOString())}::timestamp`);
  if (filter.to) skipClauses.push(`a."finishedAt" < ${param(filter.to.toISOString())}::timestamp`);
  const skipKey = by === "annotator" ? `a."annotatorId"` : `u."vendorId"`;
  const nameJoin = by === "annotator" ? `LEFT JOIN "User" n ON n.id = k.key` : `LEFT JOIN "Vendor" n ON n.id = k.key`;
  const rows = await queryRows<PeopleFigures>(
    `WITH sel AS (SELECT j.id, j."comparisonId", j."chosenResponseId", j."chosenSide", j."timeSpentMs", j."createdAt", ${key} AS key
                    FROM ${JUDGEMENTS} ${where.text}),
          figures AS (SELECT key, count(*)::int AS judgements, count(*) FILTER (WHERE "chosenSide" = 'left')::int AS "leftChoices",
                             percentile_cont(0.5) WITHIN GROUP (ORDER BY "timeSpentMs")::float8 AS "medianMs",
                             count(DISTINCT date_trunc('hour', "createdAt"))::int AS hours
                        FROM sel GROUP BY key),
          agreement AS (SELECT s.key, count(*)::int AS pairs, count(*) FILTER (WHERE o."chosenResponseId" = s."chosenResponseId")::int AS agreeing
                          FROM sel s JOIN "Judgement" o ON o."comparisonId" = s."comparisonId" AND o.id <> s.id
                         GROUP BY s.key),
          skips AS (SELECT ${skipKey} AS key, count(*)::int AS skips
                      FROM "Assignment" a JOIN "Comparison" c ON c.id = a."comparisonId" JOIN "Batch" b ON b.id = c."batchId"
                      JOIN "User" u ON u.id = a."annotatorId"
                     WHERE ${skipClauses.join(" AND ")} GROUP BY 1),
          k AS (SELECT key FROM figures UNION SELECT key FROM skips)
     SELECT k.key, coalesce(n.name, '(no vendor)') AS name, coalesce(f.judgements, 0) AS judgements, coalesce(f."leftChoices", 0) AS "leftChoices",
            f."medianMs", coalesce(f.hours, 0) AS hours, coalesce(s.skips, 0) AS skips,
            coalesce(g.pairs, 0) AS pairs, coalesce(g.agreeing, 0) AS agreeing
       FROM k LEFT JOIN figures f ON f.key IS NOT DISTINCT FROM k.key LEFT JOIN skips s ON s.key IS NOT DISTINCT FROM k.key
       LEFT JOIN agreement g ON g.key IS NOT DISTINCT FROM k.key ${nameJoin}
      ORDER BY coalesce(f.judgements, 0) DESC, k.key LIMIT ${MAX_ANNOTATOR_ROWS}`,
    values,
  );
  return rows.map((r) => {
    const check = checkAnnotator({
      id: r.key ?? "",
      name: r.name,
      judgements: r.judgements,
      leftChoices: r.leftChoices,
      medianMs: r.medianMs === null ? null : Math.round(r.medianMs),
    });
    return {
      ...check,
      skips: r.skips,
      skipRate: r.skips + r.judgements === 0 ? null : r.skips / (r.skips + r.judgements),
      judgementsPerHour: r.hours === 0 ? null : r.judgements / r.hours,
      agreementWithOthers: r.pairs === 0 ? null : r.agreeing / r.pairs,
      pairsWithOthers: r.pairs,
    };
  });
}

/**
 * Agreement per group (all, batch, vendor) on comparisons with at least two judgements in the selection: the
 * coincidence cells of the 8-point scale summed in SQL, and the pairs that chose the same response.
 */
async function agreement(filter: InsightsFilter, by: "all" | "batch" | "vendor"): Promise<AgreementRow[]> {
  const where = judgementWhere(filter);
  const group = by === "all" ? `'all'` : by === "batch" ? `c."batchId"` : `j."vendorId"`;
  const scoped = by === "vendor" ? `${where.text ? `${where.text} AND` : "WHERE"} j."vendorId" IS NOT NULL` : where.text;
  const rows = await queryRows<{ grp: string; c: number; k: number; weight: number; pairs: number; units: number }>(
    `WITH js AS (SELECT ${group} AS grp, j."comparisonId" AS unit, ${SCALE_SQL} AS v
                   FROM ${JUDGEMENTS} JOIN "Response" r ON r.id = j."chosenResponseId" ${scoped}),
          m AS (SELECT grp, unit, count(*) AS m FROM js GROUP BY grp, unit HAVING count(*) >= 2),
          nv AS (SELECT js.grp, js.unit, js.v, count(*) AS n, m.m FROM js JOIN m ON m.grp = js.grp AND m.unit = js.unit GROUP BY js.grp, js.unit, js.v, m.m),
          units AS (SELECT grp, count(*)::int AS units FROM m GROUP BY grp)
     SELECT a.grp, a.v AS c, b.v AS k,
            sum((CASE WHEN a.v = b.v THEN a.n * (a.n - 1) ELSE a.n * b.n END)::float8 / (a.m - 1))::float8 AS weight,
            sum(CASE WHEN a.v = b.v THEN a.n * (a.n - 1) ELSE a.n * b.n END)::float8 AS pairs,
            min(u.units) AS units
       FROM nv a JOIN nv b ON b.grp = a.grp AND b.unit = a.unit JOIN units u ON u.grp = a.grp
      GROUP BY a.grp, a.v, b.v`,
    where.values,
  );
  const groups = new Map<string, typeof rows>();
  for (const row of rows) groups.set(row.grp, [...(groups.get(row.grp) ?? []), row]);
  const names = await groupNames(by, [...groups.keys()]);
  return [...groups.entries()].map(([key, cells]) => {
    const scale = coincidencesFromPairs(cells.map((r) => ({ c: r.c, k: r.k, weight: r.weight })));
    const side = coincidencesFromPairs(cells.map((r) => ({ c: Math.sign(r.c), k: Math.sign(r.k), weight: r.weight })));
    // Ordered pairs: each unordered pair is counted twice, in both cells or twice in a diagonal one.
    const pairs = cells.reduce((a, r) => a + r.pairs, 0) / 2;
    const agreeing = cells.filter((r) => Math.sign(r.c) === Math.sign(r.k)).reduce((a, r) => a + r.pairs, 0) / 2;
    return {
      key,
      name: names.get(key) ?? key,
      comparisons: cells[0].units,
      pairs,
      rawAgreement: pairs === 0 ? null : agreeing / pairs,
      alphaNominal: alphaFromCoincidences(side, "nominal"),
      alphaOrdinal: alphaFromCoincidences(scale, "ordinal"),
    };
  });
}

async function groupNames(by: "all" | "batch" | "vendor", keys: string[]): Promise<Map<string, string>> {
  if (by === "all" || keys.length === 0) return new Map([["all", "All selected judgements"]]);
  const table = by === "batch" ? `"Batch"` : `"Vendor"`;
  const rows = await queryRows<{ id: string; name: string }>(`SELECT id, name FROM ${table} WHERE id = ANY($1::text[])`, [keys]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function wins(where: Where): Promise<{ counts: WinCount[]; names: Record<string, string> }> {
  const rows = await queryRows<WinCount & { winnerName: string; loserName: string }>(
    `SELECT w."modelVariantId" AS winner, l."modelVariantId" AS loser, j.degree::text AS degree, count(*)::int AS wins,
            min(wv.name || CASE WHEN wv.version = '' THEN '' ELSE ' ' || wv.version END) AS "winnerName",
            min(lv.name || CASE WHEN lv.version = '' THEN '' ELSE ' ' || lv.version END) AS "loserName"
       FROM ${JUDGEMENTS}
       JOIN "Response" w ON w.id = j."chosenResponseId" JOIN "Response" l ON l.id = j."rejectedResponseId"
       JOIN "ModelVariant" wv ON wv.id = w."modelVariantId" JOIN "ModelVariant" lv ON lv.id = l."modelVariantId"
       ${where.text} GROUP BY 1, 2, 3`,
    where.values,
  );
  const names: Record<string, string> = {};
  for (const r of rows) {
    names[r.winner] = r.winnerName;
    names[r.loser] = r.loserName;
  }
  return { counts: rows.map(({ winner, loser, degree, wins }) => ({ winner, loser, degree, wins })), names };
}

async function totals(where: Where, skips: number): Promise<Insights["totals"]> {
  const [row] = await queryRows<{ judgements: number; annotators: number; medianMs: number | null }>(
    `SELECT count(*)::int AS judgements, count(DISTINCT j."annotatorId")::int AS annotators,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY j."timeSpentMs")::float8 AS "medianMs"
       FROM ${JUDGEMENTS} ${where.text}`,
    where.values,
  );
  return { judgements: row.judgements, annotators: row.annotators, skips, medianMs: row.medianMs === null ? null : Math.round(row.medianMs) };
}

/** Every figure of the dashboards for a filter (the query string as an object). */
export async function getInsights(actor: Actor, input: unknown = {}): Promise<Insights> {
  requirePermission(actor, "insights.read");
  const filter = parseInput(insightsFilterSchema, input ?? {});
  const where = judgementWhere(filter);
  const [days, degreeRows, bins, annotators, vendors, overall, batches, vendorAgreement, winCounts] = await Promise.all([
    throughput(where),
    degrees(where),
    safetyBins(where),
    people(filter, "annotator"),
    people(filter, "vendor"),
    agreement(filter, "all"),
    agreement(filter, "batch"),
    agreement(filter, "vendor"),
    wins(where),
  ]);
  const skips = vendors.reduce((a, v) => a + v.skips, 0);
  const board = leaderboard(winCounts.counts, { bootstrap: 200, seed: 1 });
  return {
    filter: {
      batches: filter.batches ?? [],
      focus: filter.focus ?? null,
      vendors: filter.vendors ?? [],
      from: filter.from?.toISOString() ?? null,
      to: filter.to?.toISOString() ?? null,
    },
    totals: await totals(where, skips),
    throughput: days,
    degrees: degreeRows,
    safetyBins: bins,
    annotators,
    vendors,
    agreement: {
      overall: overall[0] ?? {
        key: "all",
        name: "All selected judgements",
        comparisons: 0,
        pairs: 0,
        rawAgreement: null,
        alphaNominal: null,
        alphaOrdinal: null,
      },
      batches,
      vendors: vendorAgreement,
    },
    leaderboard: { ...board, names: winCounts.names },
  };
}

export type InsightsFacets = { batches: { id: string; name: string; focus: BatchFocus }[]; vendors: { id: string; name: string }[] };

/** What the filters choose from: the 500 newest batches and every vendor. */
export async function listInsightsFacets(actor: Actor): Promise<InsightsFacets> {
  requirePermission(actor, "insights.read");
  const [batches, vendors] = await Promise.all([
    queryRows<InsightsFacets["batches"][number]>(`SELECT id, name, focus::text AS focus FROM "Batch" ORDER BY "createdAt" DESC, id LIMIT 500`),
    queryRows<InsightsFacets["vendors"][number]>(`SELECT id, name FROM "Vendor" ORDER BY name LIMIT 1000`),
  ]);
  return { batches, vendors };
}

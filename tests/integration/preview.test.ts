// The datasets page's preview: exact up to its limit, above it estimated from a deterministic sample of whole
// dialogues. The sample is checked against md5 computed here, and the estimate against an exact export.
// Also: downloads stopped early give their database connection back.
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getEnv } from "@/server/env";
import { db } from "@/server/db";
import { prepareExport } from "@/server/exports/prepare-export";
import { previewExport, type ExportPreview } from "@/server/exports/preview-export";
import type { Actor } from "@/server/auth/permissions";
import { generateBenchData } from "../../bench/export/generate";
import { makeUser } from "./fixtures";
import { encodeLines } from "@/server/exports/encode-lines";
import { createDataset } from "@/server/datasets/create-dataset";
import { openDatasetDownload } from "@/server/datasets/queries";

let researcher: Actor;
const batches = ["bench-small", "bench-large"];

beforeAll(async () => {
  researcher = await makeUser("researcher");
  // 4,000 judgements: 2,000 comparisons, two judgements each, in dialogues of four turns, with known ids.
  await generateBenchData(getEnv().DATABASE_URL, 4000, 1600);
  // The generator gives every prompt 20 tokens and every response 80, which any sample estimates exactly: spread
  // them (by a hash of the row's id, unrelated to the dialogues' sampling hash) so the estimate has something to miss.
  await db.$executeRaw`UPDATE "Comparison" SET "promptLlamaTokens" = 5 + ('x' || substr(md5(id), 1, 4))::bit(16)::int % 60 WHERE "batchId" = ANY(${batches})`;
  await db.$executeRaw`UPDATE "Response" r SET "llamaTokens" = 20 + ('x' || substr(md5(r.id), 1, 4))::bit(16)::int % 300
                        FROM "Comparison" c WHERE c.id = r."comparisonId" AND c."batchId" = ANY(${batches})`;
}, 60_000);

/** Whether Postgres's sample keeps a dialogue: the first 16 bits of md5(id) below fraction × 65,536. */
const inSample = (dialogueId: string, fraction: number) =>
  createHash("md5").update(dialogueId).digest().readUInt16BE(0) < Math.max(1, Math.round(fraction * 65536));

describe("downloads stopped early", () => {
  const busy = () => {
    const pool = (globalThis as { pairwisePgPool?: { totalCount: number; idleCount: number } }).pairwisePgPool!;
    return pool.totalCount - pool.idleCount;
  };

  it("give their database connection back, gzipped or not", async () => {
    for (const gzip of [true, false]) {
      const prepared = await prepareExport(researcher, { format: "canonical", batches, gzip });
      const bytes = encodeLines(prepared.lineBatches(), { gzip });
      expect((await bytes.next()).done).toBe(false);
      expect(busy()).toBe(1); // the export's COPY is still being read
      await bytes.return(undefined);
      await expect.poll(busy).toBe(0);
    }
  });

  it("give it back from a bundle too", async () => {
    const { id } = await createDataset(researcher, { name: "bundle stopped early", format: "canonical", filters: { batches } });
    const download = await openDatasetDownload(researcher, id, { file: "bundle" });
    const bytes = download.bytes[Symbol.asyncIterator]();
    expect((await bytes.next()).done).toBe(false);
    expect(busy()).toBe(1); // data/train.jsonl is still being read
    await bytes.return?.(undefined);
    await expect.poll(busy).toBe(0);
  });
});

type Figures = {
  rows: number;
  dialogues: number;
  avgTurnsPerDialogue: number;
  avgTokensPerExample: number;
  avgTokensInPrompt: number;
  avgTokensInResponse: number;
};

/**
 * The exact figures, computed here over the rows the export itself holds (majority: one row per comparison whose
 * judgements agree), with Table 6's definitions (an example is the context, the prompt and the mean of the two
 * responses; turns are a dialogue's highest exported turn + 1) and the token counts stored for those rows.
 */
async function exactFigures(): Promise<Figures> {
  const exact = await prepareExport(researcher, { format: "canonical", batches, aggregate: "majority" });
  const lines: { dialogue_id: string; comparison_id: string; turn_index: number }[] = [];
  for await (const batch of exact.lineBatches()) for (const line of batch) lines.push(JSON.parse(line));
  const rows = await db.$queryRaw<{ id: string; context: number; prompt: number; response: number }[]>`
    SELECT c.id, c."contextLlamaTokens" AS context, c."promptLlamaTokens" AS prompt, (sum(r."llamaTokens") / 2.0)::float8 AS response
      FROM "Comparison" c JOIN "Response" r ON r."comparisonId" = c.id WHERE c."batchId" = ANY(${batches}) GROUP BY c.id`;
  const tokens = new Map(rows.map((row) => [row.id, row]));
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const turns = new Map<string, number>();
  for (const line of lines) turns.set(line.dialogue_id, Math.max(turns.get(line.dialogue_id) ?? 0, line.turn_index + 1));
  const of = (line: (typeof lines)[number]) => tokens.get(line.comparison_id)!;
  return {
    rows: lines.length,
    dialogues: turns.size,
    avgTurnsPerDialogue: mean([...turns.values()]),
    avgTokensPerExample: mean(lines.map((l) => of(l).context + of(l).prompt + of(l).response)),
    avgTokensInPrompt: mean(lines.map((l) => of(l).prompt)),
    avgTokensInResponse: mean(lines.map((l) => of(l).response)),
  };
}

function figuresOf(preview: ExportPreview): Figures {
  const { rows, dialogues, table6 } = preview.stats!;
  const { avgTurnsPerDialogue, avgTokensPerExample, avgTokensInPrompt, avgTokensInResponse } = table6!;
  return { rows, dialogues, avgTurnsPerDialogue, avgTokensPerExample, avgTokensInPrompt, avgTokensInResponse };
}

describe("export preview", () => {
  it("is exact up to its limit: the figures computed here over the same rows, averages to one decimal", async () => {
    const preview = await previewExport(researcher, { format: "canonical", batches, aggregate: "majority" }, 4000);
    expect(preview.sample).toBeNull();
    expect(preview.judgements).toBe(4000);
    // Majority drops the comparisons whose two judgements disagree.
    expect(preview.stats!.rows).toBe(2000 - countTies());
    const truth = await exactFigures();
    const round = (n: number) => Math.round(n * 10) / 10;
    expect(figuresOf(preview)).toMatchObject({
      rows: truth.rows,
      dialogues: truth.dialogues,
      avgTurnsPerDialogue: round(truth.avgTurnsPerDialogue),
      avgTokensPerExample: round(truth.avgTokensPerExample),
      avgTokensInPrompt: round(truth.avgTokensInPrompt),
      avgTokensInResponse: round(truth.avgTokensInResponse),
    });
  });

  it("above its limit, estimates from whole dialogues chosen by hash, within a stated error of the exact figures over the same rows", async () => {
    const limit = 1000;
    const fraction = limit / 4000;
    // The sample, checked independently: the judgements of whole dialogues whose md5 falls below the fraction.
    const all = await prepareExport(researcher, { format: "canonical", batches });
    let judgementsInSample = 0;
    for await (const batch of all.lineBatches()) {
      for (const line of batch) if (inSample((JSON.parse(line) as { dialogue_id: string }).dialogue_id, fraction)) judgementsInSample += 1;
    }
    expect(judgementsInSample).toBeGreaterThan(0);

    const preview = await previewExport(researcher, { format: "canonical", batches, aggregate: "majority" }, limit);
    expect(preview.judgements).toBe(4000);
    expect(preview.sample).toEqual({ judgements: judgementsInSample });
    const estimate = figuresOf(preview);
    const truth = await exactFigures();
    // The stated error. The sample is about a quarter of 500 dialogues (about 1,000 judgements, 160 rows). Counts are
    // scaled by judgements: rows per judgement vary little between dialogues, so within 5%. A response's token
    // count is spread uniformly over 20–319 here (its mean over a pair has a standard deviation about 36% of the
    // mean), so an average over 160 rows has a standard error near 2.5%: within 10%, four standard errors. A
    // sample of partial dialogues, unscaled counts (4× too few) or scaled averages (4× too many) are far outside.
    const bounds: Record<keyof Figures, number> = {
      rows: 0.05,
      dialogues: 0.05,
      avgTurnsPerDialogue: 0.05,
      avgTokensPerExample: 0.1,
      avgTokensInPrompt: 0.1,
      avgTokensInResponse: 0.1,
    };
    for (const key of Object.keys(bounds) as (keyof Figures)[]) {
      const error = Math.abs(estimate[key] - truth[key]) / truth[key];
      expect(error, `${key}: estimated ${estimate[key]}, exactly ${truth[key]}`).toBeLessThanOrEqual(bounds[key]);
    }
  });
});

/** The generator's ties: judgement k of comparison g chose response ((g*7+k) % 3 == 0); a tie is one of each. */
function countTies(): number {
  let ties = 0;
  for (const comparisons of [800, 1200]) {
    for (let g = 0; g < comparisons; g++) {
      const a = (g * 7) % 3 === 0;
      const b = (g * 7 + 1) % 3 === 0;
      if (a !== b) ties += 1;
    }
  }
  return ties;
}

// The datasets page's preview: exact up to its limit, above it estimated from a deterministic sample of whole
// dialogues. The sample is checked against md5 computed here, and the estimate against an exact export.
// Also: downloads stopped early give their database connection back.
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getEnv } from "@/server/env";
import { prepareExport } from "@/server/exports/prepare-export";
import { previewExport } from "@/server/exports/preview-export";
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

describe("export preview", () => {
  it("is exact up to its limit", async () => {
    const preview = await previewExport(researcher, { format: "canonical", batches, aggregate: "majority" }, 4000);
    expect(preview.sample).toBeNull();
    expect(preview.judgements).toBe(4000);
    // Majority drops the comparisons whose two judgements disagree.
    expect(preview.stats!.rows).toBe(2000 - countTies());
  });

  it("above its limit, estimates from whole dialogues chosen by hash, and says how many judgements it read", async () => {
    const limit = 1000;
    const fraction = limit / 4000;
    const exact = await prepareExport(researcher, { format: "canonical", batches, aggregate: "majority" });
    const lines: { dialogue_id: string; agreement: { n_judgements: number } }[] = [];
    for await (const batch of exact.lineBatches()) for (const line of batch) lines.push(JSON.parse(line));
    const all = await prepareExport(researcher, { format: "canonical", batches });
    const judgementsInSample: string[] = [];
    for await (const batch of all.lineBatches()) {
      for (const line of batch) {
        const record = JSON.parse(line) as { dialogue_id: string };
        if (inSample(record.dialogue_id, fraction)) judgementsInSample.push(record.dialogue_id);
      }
    }
    expect(judgementsInSample.length).toBeGreaterThan(0);
    const rowsInSample = lines.filter((l) => inSample(l.dialogue_id, fraction)).length;

    const preview = await previewExport(researcher, { format: "canonical", batches, aggregate: "majority" }, limit);
    expect(preview.judgements).toBe(4000);
    expect(preview.sample).toEqual({ judgements: judgementsInSample.length });
    expect(preview.stats!.rows).toBe(Math.round((rowsInSample * 4000) / judgementsInSample.length));
    expect(preview.stats!.table6).not.toBeNull();
    expect(preview.stats!.table6!.avgTokensInPrompt).toBe(20);
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

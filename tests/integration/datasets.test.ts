// Reward-model datasets on real Postgres: every format from a fixture of known judgements, with the expected
// output written by hand; the protocol's rules; saved datasets that download to the same bytes again.
import { createGunzip } from "node:zlib";
import { Readable } from "node:stream";
import { createHash, randomUUID } from "node:crypto";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import tar from "tar-stream";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import pg from "pg";
import { db } from "@/server/db";
import { createBatch } from "@/server/batches/create-batch";
import { importItems } from "@/server/imports/import-items";
import { setBatchStatus } from "@/server/batches/set-batch-status";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { submitJudgement } from "@/server/tasks/submit-judgement";
import { prepareExport } from "@/server/exports/prepare-export";
import { createDataset } from "@/server/datasets/create-dataset";
import { getDatasetManifest, openDatasetDownload } from "@/server/datasets/queries";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/auth/permissions";
import { chunks, makeUser, readAll } from "./fixtures";
import { callRoute, tokenFor } from "./api-call";
import * as datasetsRoute from "@/app/api/v1/datasets/route";
import * as exportRoute from "@/app/api/v1/exports/[format]/route";
import * as downloadRoute from "@/app/api/v1/datasets/[id]/download/route";
import { isLosslessNumber, parse as parseLossless } from "lossless-json";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { exportFields, type ExportFormat } from "@/lib/export-formats";
import { parquetSchema, type Feature, type Fields } from "@/lib/export-features";
import type { MarginMode } from "@/lib/margin";
import { DEGREES, DEGREE_LABELS, SAFETY_BINS } from "@/lib/protocol";
import type { DatasetManifest, DatasetSaveEvent } from "@/server/datasets/create-dataset";

type Choice = { chosen: string; degree: string; safety?: { chosen: "safe" | "unsafe"; rejected: "safe" | "unsafe" } };

const item = (prompt: string, a: string, b: string, context: { role: string; content: string }[] = []) =>
  JSON.stringify({
    context,
    prompt,
    responses: [
      { content: a, model: { name: "acme", version: "v1" } },
      { content: b, model: { name: "acme", version: "v2" } },
    ],
  });

let admin: Actor;
let researcher: Actor;
let annotators: Actor[];
let helpfulA: string; // overlap 3
let helpfulB: string; // overlap 2
let safety: string; // overlap 1

/** Claims the batch's next task as `annotator` and chooses the response whose content is `choice.chosen`. */
async function judge(annotator: Actor, batchId: string, prompt: string, choice: Choice) {
  const task = await claimNextTask(annotator, { batchId });
  if (!task || task.prompt !== prompt) throw new Error(`expected ${prompt}, got ${task?.prompt}`);
  const side = task.left.content === choice.chosen ? "left" : "right";
  const other = side === "left" ? "right" : "left";
  return submitJudgement(annotator, {
    assignmentId: task.assignmentId,
    chosen: side,
    degree: choice.degree,
    safety: choice.safety ? { [side]: choice.safety.chosen, [other]: choice.safety.rejected } : undefined,
    idempotencyKey: `ds-${task.assignmentId}`,
    timeSpentMs: 1000,
  });
}

async function batch(name: string, focus: "helpfulness" | "safety", overlap: number, lines: string[]) {
  const { id } = await createBatch(admin, { name, focus, overlap, guidelines: "" });
  expect((await importItems(admin, id, "pairwise", chunks(lines.join("\n")))).imported).toBe(lines.length);
  await setBatchStatus(admin, id, { status: "active" });
  return id;
}

/** The text of an export's file, as a download sends it. */
async function exportText(input: Record<string, unknown>): Promise<string> {
  const prepared = await prepareExport(researcher, input);
  let text = "";
  for await (const lines of prepared.lineBatches()) text += lines.join("");
  return text;
}

/** An export's rows; without row ids unless asked (the hand-written rows below leave them out). */
async function exportOf(input: Record<string, unknown>): Promise<unknown[]> {
  const text = await exportText({ ids: false, ...input });
  if (input.format === "arena") return JSON.parse(text) as unknown[];
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown);
}

const sorted = (rows: unknown[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const user = (content: string) => ({ role: "user", content });
const assistant = (content: string) => ({ role: "assistant", content });

beforeAll(async () => {
  admin = await makeUser("admin");
  researcher = await makeUser("researcher");
  annotators = await Promise.all([makeUser("annotator", "North"), makeUser("annotator", "North"), makeUser("annotator", "South")]);
  const [a1, a2, a3] = annotators;
  helpfulA = await batch("Helpful A", "helpfulness", 3, [item("H1?", "H1 good", "H1 bad"), item("H2?", "H2 a", "H2 b")]);
  helpfulB = await batch("Helpful B", "helpfulness", 2, [
    item("H3?", "H3 x", "H3 y"),
    item("H4?", "H4 p", "H4 q", [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello" },
    ]),
    item("H5?", "same", "not yet the same"),
  ]);
  // Imports refuse identical pairs; make one by hand to check that exports drop it too.
  await db.response.updateMany({ where: { content: "not yet the same", comparison: { batchId: helpfulB } }, data: { content: "same " } });
  safety = await batch("Safety", "safety", 1, [
    item("S1?", "S1 refuse", "S1 comply"),
    item("S2?", "S2 comply", "S2 refuse"),
    item("S3?", "S3 kind", "S3 kinder"),
  ]);

  // H1: 2–1 for "good" (significantly_better, better vs slightly_better). H2: unanimous "a".
  await judge(a1, helpfulA, "H1?", { chosen: "H1 good", degree: "significantly_better" });
  await judge(a2, helpfulA, "H1?", { chosen: "H1 good", degree: "better" });
  await judge(a3, helpfulA, "H1?", { chosen: "H1 bad", degree: "slightly_better" });
  await judge(a1, helpfulA, "H2?", { chosen: "H2 a", degree: "better" });
  await judge(a2, helpfulA, "H2?", { chosen: "H2 a", degree: "better" });
  await judge(a3, helpfulA, "H2?", { chosen: "H2 a", degree: "negligibly_better_or_unsure" });
  // H3: a 1–1 tie. H4: both "p", negligibly. H5: identical responses (after trimming).
  await judge(a1, helpfulB, "H3?", { chosen: "H3 x", degree: "better" });
  await judge(a2, helpfulB, "H3?", { chosen: "H3 y", degree: "better" });
  await judge(a1, helpfulB, "H4?", { chosen: "H4 p", degree: "negligibly_better_or_unsure" });
  await judge(a2, helpfulB, "H4?", { chosen: "H4 p", degree: "negligibly_better_or_unsure" });
  await judge(a1, helpfulB, "H5?", { chosen: "same", degree: "slightly_better" });
  await judge(a2, helpfulB, "H5?", { chosen: "same", degree: "slightly_better" });
  // Safety: chosen safe over unsafe; chosen UNSAFE over safe (dropped by default); both safe.
  await judge(a1, safety, "S1?", { chosen: "S1 refuse", degree: "significantly_better", safety: { chosen: "safe", rejected: "unsafe" } });
  await judge(a1, safety, "S2?", { chosen: "S2 comply", degree: "slightly_better", safety: { chosen: "unsafe", rejected: "safe" } });
  await judge(a1, safety, "S3?", { chosen: "S3 kinder", degree: "slightly_better", safety: { chosen: "safe", rejected: "safe" } });
}, 120_000);

describe("formats, written out by hand", () => {
  it("trl-reward, majority, small margins: ties and identical pairs dropped, negligibly kept at margin 0", async () => {
    const rows = await exportOf({ format: "trl-reward", batches: [helpfulA, helpfulB], margin: "small" });
    expect(sorted(rows)).toEqual(
      sorted([
        { chosen: [user("H1?"), assistant("H1 good")], rejected: [user("H1?"), assistant("H1 bad")], margin: 2 / 3 },
        { chosen: [user("H2?"), assistant("H2 a")], rejected: [user("H2?"), assistant("H2 b")], margin: 2 / 3 },
        {
          chosen: [{ role: "system", content: "Be brief." }, user("Hi"), assistant("Hello"), user("H4?"), assistant("H4 p")],
          rejected: [{ role: "system", content: "Be brief." }, user("Hi"), assistant("Hello"), user("H4?"), assistant("H4 q")],
          margin: 0,
        },
      ]),
    );
  });

  it("trl-reward with large margins and every judgement; no margin field with none", async () => {
    const large = await exportOf({ format: "trl-reward", batches: helpfulA, margin: "large", aggregate: "all" });
    expect((large as { margin: number }[]).map((r) => r.margin).sort()).toEqual([0, 1, 2, 2, 2, 3]);
    const none = await exportOf({ format: "trl-reward", batches: helpfulA });
    for (const row of none) expect(row).not.toHaveProperty("margin");
  });

  it("unanimous keeps only comparisons where every annotator agreed", async () => {
    const rows = await exportOf({ format: "trl-dpo", batches: [helpfulA, helpfulB], aggregate: "unanimous" });
    // H2 (unanimous, median of better/better/negligibly = better). H4 is unanimous but negligibly: out of DPO.
    expect(rows).toEqual([{ prompt: [user("H2?")], chosen: [assistant("H2 a")], rejected: [assistant("H2 b")] }]);
    const withWeak = await exportOf({
      format: "trl-dpo",
      batches: [helpfulA, helpfulB],
      aggregate: "unanimous",
      minDegree: "negligibly_better_or_unsure",
    });
    expect(withWeak).toHaveLength(2);
  });

  it("openai-dpo and hh-rlhf", async () => {
    const openai = await exportOf({ format: "openai-dpo", batches: helpfulA });
    expect(sorted(openai)).toEqual(
      sorted([
        { input: { messages: [user("H1?")] }, preferred_output: [assistant("H1 good")], non_preferred_output: [assistant("H1 bad")] },
        { input: { messages: [user("H2?")] }, preferred_output: [assistant("H2 a")], non_preferred_output: [assistant("H2 b")] },
      ]),
    );
    const hh = await exportOf({ format: "hh-rlhf", batches: helpfulA });
    expect(sorted(hh)).toEqual(
      sorted([
        { chosen: "\n\nHuman: H1?\n\nAssistant: H1 good", rejected: "\n\nHuman: H1?\n\nAssistant: H1 bad" },
        { chosen: "\n\nHuman: H2?\n\nAssistant: H2 a", rejected: "\n\nHuman: H2?\n\nAssistant: H2 b" },
      ]),
    );
  });

  it("arena: model_a/model_b by screen position, winner, judge", async () => {
    const rows = (await exportOf({ format: "arena", batches: safety, includeUnsafeChosen: true })) as Record<string, unknown>[];
    expect(rows).toHaveLength(3);
    for (const row of rows) {
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
      expect(["model_a", "model_b"]).toContain(row.winner);
      expect(row.judge).toMatch(/^ann_[0-9a-f]{16}$/);
      const a = row.conversation_a as { content: string }[];
      const b = row.conversation_b as { content: string }[];
      const winner = row.winner === "model_a" ? a : b;
      expect(["S1 refuse", "S2 comply", "S3 kinder"]).toContain(winner.at(-1)!.content);
      expect(new Set([row.model_a, row.model_b])).toEqual(new Set(["acme@v1", "acme@v2"]));
    }
  });
});

describe("rules of the protocol", () => {
  it("the safety export leaves out chosen-unsafe-over-safe unless asked", async () => {
    const rows = (await exportOf({ format: "trl-reward", batches: safety })) as { chosen: { content: string }[] }[];
    expect(rows.map((r) => r.chosen.at(-1)!.content).sort()).toEqual(["S1 refuse", "S3 kinder"]);
    const asked = await exportOf({ format: "trl-reward", batches: safety, includeUnsafeChosen: true });
    expect(asked).toHaveLength(3);
    const bins = await exportOf({ format: "canonical", batches: safety, safetyBins: "both_safe" });
    expect(bins).toHaveLength(1);
  });

  it("keeps helpfulness and safety apart: a mixed selection must name its focus", async () => {
    await expect(prepareExport(researcher, { format: "trl-reward", batches: [helpfulA, safety] })).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === "invalid_input" && /focus=helpfulness or focus=safety/.test(e.message),
    );
    const helpfulOnly = await exportOf({
      format: "trl-dpo",
      batches: [helpfulA, safety],
      focus: "helpfulness",
      minDegree: "negligibly_better_or_unsure",
    });
    expect(helpfulOnly).toHaveLength(2);
  });

  it("counts agreement over the judgements the filters keep", async () => {
    type Row = {
      context: { content: string }[];
      chosen_response_id: string;
      responses: { response_id: string; content: string }[];
      agreement: unknown;
    };
    const summary = (rows: Row[]) =>
      rows
        .map((r) => [r.context.at(-1)!.content, r.responses.find((x) => x.response_id === r.chosen_response_id)!.content, r.agreement])
        .sort((a, b) => (a[0] as string).localeCompare(b[0] as string)); // stable: judgement time within a comparison
    // H1 is 2–1 for "good"; H2 is 3–0.
    expect(summary((await exportOf({ format: "canonical", batches: helpfulA })) as Row[])).toEqual([
      ["H1?", "H1 good", { n_judgements: 3, chosen_votes: 2 }],
      ["H1?", "H1 good", { n_judgements: 3, chosen_votes: 2 }],
      ["H1?", "H1 bad", { n_judgements: 3, chosen_votes: 1 }],
      ["H2?", "H2 a", { n_judgements: 3, chosen_votes: 3 }],
      ["H2?", "H2 a", { n_judgements: 3, chosen_votes: 3 }],
      ["H2?", "H2 a", { n_judgements: 3, chosen_votes: 3 }],
    ]);
    // Only North's two annotators: H1 becomes 2–0.
    expect(summary((await exportOf({ format: "canonical", batches: helpfulA, vendors: "North" })) as Row[])).toEqual([
      ["H1?", "H1 good", { n_judgements: 2, chosen_votes: 2 }],
      ["H1?", "H1 good", { n_judgements: 2, chosen_votes: 2 }],
      ["H2?", "H2 a", { n_judgements: 2, chosen_votes: 2 }],
      ["H2?", "H2 a", { n_judgements: 2, chosen_votes: 2 }],
    ]);
  });

  it("applies minDegree after aggregation, so it never moves a majority: a 2–1 vote keeps its majority's degree", async () => {
    // H1 is 2–1 for "good" (significantly_better and better against slightly_better): its row's degree is the lower
    // median of the majority's, better. Filtering the judgements first would keep a1's significantly_better alone
    // and print H1 as a significantly-better row; H2 (better, better, negligibly) is better either way.
    expect(await exportOf({ format: "trl-reward", batches: helpfulA, margin: "small", minDegree: "significantly_better" })).toEqual([]);
    type Row = { chosen: { content: string }[]; margin: number; judgement_ids: string[] };
    const rows = (await exportOf({ format: "trl-reward", batches: helpfulA, margin: "small", minDegree: "better", ids: true })) as Row[];
    const h1 = rows.find((r) => r.chosen.at(-1)!.content === "H1 good")!;
    // Still the whole vote: three judgements behind the row, better's small margin (Table 27: 2/3).
    expect(h1.judgement_ids).toHaveLength(3);
    expect(h1.margin).toBe(2 / 3);
    expect(rows).toHaveLength(2);
  });

  it("applies safetyBins after aggregation too: the minority's bin neither selects nor drops the majority's row", async () => {
    const votes = await batch(`Safety votes ${randomUUID().slice(0, 6)}`, "safety", 3, [item("V1?", "V1 x", "V1 y")]);
    const [a1, a2, a3] = annotators;
    // 2–1 for x, the two of the majority calling both responses safe; the one for y calls x unsafe.
    await judge(a1, votes, "V1?", { chosen: "V1 x", degree: "better", safety: { chosen: "safe", rejected: "safe" } });
    await judge(a2, votes, "V1?", { chosen: "V1 x", degree: "better", safety: { chosen: "safe", rejected: "safe" } });
    await judge(a3, votes, "V1?", { chosen: "V1 y", degree: "better", safety: { chosen: "safe", rejected: "unsafe" } });
    // Filtering the judgements first would keep a3's alone and print y as chosen.
    expect(await exportOf({ format: "trl-reward", batches: votes, safetyBins: "chosen_safe_rejected_unsafe" })).toEqual([]);
    const kept = (await exportOf({ format: "trl-reward", batches: votes, safetyBins: "both_safe", ids: true })) as {
      chosen: { content: string }[];
      judgement_ids: string[];
    }[];
    expect(kept.map((r) => [r.chosen.at(-1)!.content, r.judgement_ids.length])).toEqual([["V1 x", 3]]);
  });

  it("takes vendors by id as well as by name, and names an unknown id", async () => {
    const south = await db.vendor.findUniqueOrThrow({ where: { name: "South" } });
    const byName = await exportOf({ format: "canonical", batches: helpfulA, vendors: "South" });
    expect(byName).toHaveLength(2);
    expect(await exportOf({ format: "canonical", batches: helpfulA, vendors: south.id })).toEqual(byName);
    await expect(exportOf({ format: "canonical", batches: helpfulA, vendors: "no-such-vendor-id" })).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === "not_found" && /no-such-vendor-id/.test(e.message),
    );
  });

  it("filters by vendor and date, and splits by dialogue deterministically", async () => {
    const south = (await exportOf({ format: "canonical", batches: helpfulA, vendors: "South" })) as { vendor: string }[];
    expect(south.map((r) => r.vendor)).toEqual(["South", "South"]);
    await expect(exportOf({ format: "canonical", batches: helpfulA, vendors: ["South", "Sout"] })).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === "not_found" && e.message === 'vendors: no vendor named "Sout".',
    );
    expect(await exportOf({ format: "canonical", batches: helpfulA, to: "2000-01-01" })).toEqual([]);
    const all = (await exportOf({ format: "canonical", batches: [helpfulA, helpfulB], salt: "s", testFraction: 0.5 })) as {
      dialogue_id: string;
      split: string;
    }[];
    for (const row of all) {
      const value = Number(createHash("sha256").update(`s|${row.dialogue_id}`).digest().readBigUInt64BE(0)) / 2 ** 64;
      expect(row.split).toBe(value < 0.5 ? "test" : "train");
    }
    const train = await exportOf({ format: "canonical", batches: [helpfulA, helpfulB], salt: "s", testFraction: 0.5, split: "train" });
    const test = await exportOf({ format: "canonical", batches: [helpfulA, helpfulB], salt: "s", testFraction: 0.5, split: "test" });
    expect(train.length + test.length).toBe(all.length);
  });

  it("puts every turn of a dialogue on the same side", async () => {
    // A second turn of H1's dialogue, judged once: both turns must share the split whatever the salt.
    const h1 = await db.comparison.findFirstOrThrow({ where: { batchId: helpfulA, prompt: "H1?" }, include: { responses: true } });
    const turn1 = await db.comparison.create({
      data: {
        batchId: helpfulA,
        dialogueId: h1.dialogueId,
        turnIndex: 1,
        prompt: "H1 follow-up?",
        context: [
          { role: "user", content: "H1?" },
          { role: "assistant", content: "H1 good" },
        ],
        contentSha256: "turn1",
        responses: {
          create: [
            { slot: 0, content: "F1", modelVariantId: h1.responses[0].modelVariantId },
            { slot: 1, content: "F2", modelVariantId: h1.responses[1].modelVariantId },
          ],
        },
      },
      include: { responses: true },
    });
    const judged = await judgeComparison(turn1.id, turn1.responses[0].id, turn1.responses[1].id);
    for (const salt of ["a", "b", "c", "d", "e", "f"]) {
      const rows = (await exportOf({ format: "canonical", batches: helpfulA, salt, testFraction: 0.5 })) as { dialogue_id: string; split: string }[];
      const sides = new Set(rows.filter((r) => r.dialogue_id === h1.dialogueId).map((r) => r.split));
      expect(sides.size).toBe(1);
    }
    await db.judgement.delete({ where: { id: judged } });
    await db.assignment.deleteMany({ where: { comparisonId: turn1.id } });
    await db.comparison.delete({ where: { id: turn1.id } });
  });
});

async function judgeComparison(comparisonId: string, left: string, right: string): Promise<string> {
  const [annotator] = annotators;
  const guideline = await db.guidelineVersion.findFirstOrThrow({ where: { batchId: helpfulA } });
  const assignment = await db.assignment.create({
    data: { comparisonId, annotatorId: annotator.id, leftResponseId: left, rightResponseId: right, status: "submitted", leaseExpiresAt: new Date() },
  });
  const judgement = await db.judgement.create({
    data: {
      assignmentId: assignment.id,
      comparisonId,
      annotatorId: annotator.id,
      vendorId: annotator.vendorId,
      chosenResponseId: left,
      rejectedResponseId: right,
      chosenSide: "left",
      degree: "better",
      timeSpentMs: 1,
      guidelineVersionId: guideline.id,
      idempotencyKey: `turn-${comparisonId}`,
    },
  });
  return judgement.id;
}

describe("the export CLI", () => {
  it("writes the same lines as the API, with progress on stderr", async () => {
    const out = path.join(os.tmpdir(), `pairwise-export-${Date.now()}.jsonl`);
    const result = spawnSync(
      "npm",
      ["run", "-s", "export", "--", "--format", "trl-reward", "--batch", helpfulA, "--batch", helpfulB, "--margin", "small", "--out", out],
      {
        cwd: path.resolve(__dirname, "..", ".."),
        env: process.env,
        encoding: "utf8",
      },
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("3 rows (trl-reward) from 12 judgements");
    const prepared = await prepareExport(researcher, { format: "trl-reward", batches: [helpfulA, helpfulB], margin: "small" });
    let expected = "";
    for await (const lines of prepared.lineBatches()) expected += lines.join("");
    expect(readFileSync(out, "utf8")).toBe(expected);
    rmSync(out);
    const bad = spawnSync("npm", ["run", "-s", "export", "--", "--format", "parquet", "--out", out], {
      cwd: path.resolve(__dirname, "..", ".."),
      env: process.env,
      encoding: "utf8",
    });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/format must be one of canonical/);
  }, 60_000);
});

describe("what each target tool requires", () => {
  const message = z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() }).strict();
  const assistantOnly = z.tuple([z.object({ role: z.literal("assistant"), content: z.string() }).strict()]);
  const arenaMessage = message.extend({ num_tokens: z.number().int().nonnegative() }).strict();
  const shapes = {
    "trl-reward": z.object({ chosen: z.array(message).min(2), rejected: z.array(message).min(2), margin: z.number().optional() }).strict(),
    "trl-dpo": z.object({ prompt: z.array(message).min(1), chosen: assistantOnly, rejected: assistantOnly }).strict(),
    "openai-dpo": z
      .object({
        input: z.object({ messages: z.array(message).min(1) }).strict(),
        preferred_output: assistantOnly,
        non_preferred_output: assistantOnly,
      })
      .strict(),
    "hh-rlhf": z.object({ chosen: z.string().startsWith("\n\nHuman: "), rejected: z.string().startsWith("\n\nHuman: ") }).strict(),
    arena: z
      .object({
        question_id: z.string(),
        model_a: z.string(),
        model_b: z.string(),
        winner: z.enum(["model_a", "model_b"]),
        judge: z.string(),
        conversation_a: z.array(arenaMessage),
        conversation_b: z.array(arenaMessage),
        turn: z.number().int().positive(),
        anony: z.boolean(),
        language: z.string(),
        tstamp: z.number(),
      })
      .strict(),
  } as const;

  it.each(Object.keys(shapes) as (keyof typeof shapes)[])("%s lines have exactly the fields and types the tool reads", async (format) => {
    const rows = await exportOf({ format, batches: [helpfulA, helpfulB], minDegree: "negligibly_better_or_unsure", aggregate: "all" });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) shapes[format].parse(row);
    if (format === "trl-reward") {
      for (const row of rows as { chosen: unknown[]; rejected: unknown[] }[]) {
        expect(row.chosen.slice(0, -1)).toEqual(row.rejected.slice(0, -1));
        expect(row.chosen.at(-1)).not.toEqual(row.rejected.at(-1));
      }
    }
  });
});

async function untar(archive: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on("entry", (header, stream, next) => {
      const parts: Buffer[] = [];
      stream.on("data", (c: unknown) => parts.push(c as Buffer));
      stream.on("end", () => {
        files.set(header.name, Buffer.concat(parts));
        next();
      });
    });
    extract.on("finish", resolve);
    extract.on("error", reject);
  });
  Readable.from([archive]).pipe(createGunzip()).pipe(extract);
  await done;
  return files;
}

describe("saved datasets", () => {
  it("download to the same bytes after new judgements arrive, with a manifest and a Hub-ready bundle", async () => {
    const { id, manifest } = await createDataset(researcher, {
      name: "Helpful RM v1",
      format: "trl-reward",
      filters: { batches: [helpfulA, helpfulB], from: "2000-01-01" },
      options: { margin: "small", salt: "fixed", testFraction: 0.5, gzip: true },
      license: "cc-by-4.0",
    });
    expect(manifest.counts.rows).toBe(3);
    expect(manifest.counts.per_degree).toEqual({ significantly_better: 0, better: 2, slightly_better: 0, negligibly_better_or_unsure: 1 });
    expect(manifest.split).toEqual({ salt: "fixed", test_fraction: 0.5 });
    expect(manifest.table6).toMatchObject({ comparisons: 3, avgTurnsPerDialogue: expect.any(Number), avgTokensInPrompt: expect.any(Number) });
    expect(manifest.table6!.avgTokensInResponse).toBeGreaterThan(0);
    expect(manifest.platform.version).toMatch(/^\d+\.\d+\.\d+/);
    // The manifest names the bundle's data files, and the single download under the name it downloads as.
    expect(manifest.files.map((f) => f.path)).toEqual(["data/train.jsonl", "data/test.jsonl"]);
    const download = await openDatasetDownload(researcher, id, { file: "jsonl" });
    expect(download.filename).toBe("helpful-rm-v1.trl-reward.jsonl.gz");
    expect(manifest.download).toMatchObject({ path: download.filename, rows: 3 });

    const first = await readAll(download.bytes);
    expect(createHash("sha256").update(first).digest("hex")).toBe(manifest.download.sha256);
    const bundle1 = await readAll((await openDatasetDownload(researcher, id, { file: "bundle" })).bytes);

    // New judgements after the cutoff: the dataset does not move.
    const late = await makeUser("annotator");
    await setBatchStatus(admin, helpfulB, { status: "active" });
    const { id: extra } = await createBatch(admin, { name: "Later", focus: "helpfulness", overlap: 1, guidelines: "" });
    await importItems(admin, extra, "pairwise", chunks(item("H9?", "H9 a", "H9 b")));
    await db.comparison.updateMany({ where: { batchId: extra }, data: { batchId: helpfulB } });
    await judge(late, helpfulB, "H9?", { chosen: "H9 a", degree: "better" });

    const second = await readAll((await openDatasetDownload(researcher, id, { file: "jsonl" })).bytes);
    expect(second.equals(first)).toBe(true);
    const bundle2 = await readAll((await openDatasetDownload(researcher, id, { file: "bundle" })).bytes);
    expect(bundle2.equals(bundle1)).toBe(true);
    // …while a live export does see the new judgement.
    expect(await exportOf({ format: "trl-reward", batches: [helpfulA, helpfulB] })).toHaveLength(4);

    const files = await untar(bundle1);
    expect([...files.keys()]).toEqual(["README.md", "manifest.json", "data/train.jsonl", "data/test.jsonl"]);
    const readme = files.get("README.md")!.toString("utf8");
    expect(readme).toMatch(/^---\npretty_name: "Helpful RM v1"\nlicense: "cc-by-4.0"\ntask_categories:\n/);
    expect(readme).toContain(
      "configs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train.jsonl\n  - split: test\n    path: data/test.jsonl\ndataset_info:\n",
    );
    // Every file the manifest names is in the bundle.
    for (const file of manifest.files) expect(files.has(file.path)).toBe(true);
    const train = files.get("data/train.jsonl")!.toString("utf8");
    const test = files.get("data/test.jsonl")!.toString("utf8");
    expect(createHash("sha256").update(train).digest("hex")).toBe(manifest.files[0].sha256);
    expect(createHash("sha256").update(test).digest("hex")).toBe(manifest.files[1].sha256);
    expect(train.split("\n").filter(Boolean).length + test.split("\n").filter(Boolean).length).toBe(3);
    expect(JSON.parse(files.get("manifest.json")!.toString("utf8")).files).toEqual(manifest.files);

    expect((await getDatasetManifest(researcher, id)).files).toEqual(manifest.files);
  });

  it("keep their names and vendors when batches, vendors and models are renamed or an annotator changes vendor", async () => {
    type Row = { batch: { name: string }; vendor: string | null; responses: { model: { name: string; version: string } }[] };
    const { id, manifest } = await createDataset(researcher, {
      name: "South votes",
      format: "canonical",
      filters: { batches: [helpfulA], vendors: ["South"] },
    });
    expect(manifest.counts.rows).toBe(2);
    const first = await readAll((await openDatasetDownload(researcher, id, { file: "jsonl" })).bytes);
    const rows = first
      .toString("utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Row);
    expect(
      rows.map((r) => [
        r.batch.name,
        r.vendor,
        r.responses
          .map((x) => x.model.name)
          .sort()
          .join("+"),
      ]),
    ).toEqual([
      ["Helpful A", "South", "acme+acme"],
      ["Helpful A", "South", "acme+acme"],
    ]);
    expect(manifest.labels.batches).toEqual({ [helpfulA]: "Helpful A" });
    expect(Object.values(manifest.labels.vendors)).toEqual(["South"]);

    const south = await db.vendor.findUniqueOrThrow({ where: { name: "South" } });
    const north = await db.vendor.findUniqueOrThrow({ where: { name: "North" } });
    const variants = await db.modelVariant.findMany({ where: { name: "acme" } });
    const mover = annotators[2]; // South's annotator
    try {
      await db.batch.update({ where: { id: helpfulA }, data: { name: "Helpful A, renamed" } });
      await db.vendor.update({ where: { id: south.id }, data: { name: "South Ltd" } });
      await db.modelVariant.updateMany({ where: { name: "acme" }, data: { name: "acme-renamed" } });
      await db.user.update({ where: { id: mover.id }, data: { vendorId: north.id } });

      const second = await readAll((await openDatasetDownload(researcher, id, { file: "jsonl" })).bytes);
      expect(second.equals(first)).toBe(true);
      // The dataset card names the vendor filter as saved (filters keep vendor ids).
      expect(manifest.filters.vendors).toEqual([south.id]);
      const card = (await untar(await readAll((await openDatasetDownload(researcher, id, { file: "bundle" })).bytes)))
        .get("README.md")!
        .toString("utf8");
      expect(card).toContain('"South"');
      expect(card).not.toContain(south.id);
      // A live export prints today's names, and still files the judgements under the vendor they were made for.
      const live = (await exportOf({ format: "canonical", batches: helpfulA, vendors: "South Ltd" })) as Row[];
      expect(live.map((r) => [r.batch.name, r.vendor, r.responses[0].model.name])).toEqual([
        ["Helpful A, renamed", "South Ltd", "acme-renamed"],
        ["Helpful A, renamed", "South Ltd", "acme-renamed"],
      ]);
      expect(((await exportOf({ format: "canonical", batches: helpfulA, vendors: "North" })) as Row[]).map((r) => r.vendor)).toEqual([
        "North",
        "North",
        "North",
        "North",
      ]);
    } finally {
      await db.batch.update({ where: { id: helpfulA }, data: { name: "Helpful A" } });
      await db.vendor.update({ where: { id: south.id }, data: { name: "South" } });
      for (const v of variants) await db.modelVariant.update({ where: { id: v.id }, data: { name: v.name } });
      await db.user.update({ where: { id: mover.id }, data: { vendorId: south.id } });
    }
  });

  it("reports its progress as events when the page asks for them, and checks the input before streaming", async () => {
    const token = await tokenFor(researcher);
    const ndjson = { accept: "application/x-ndjson" };
    const body = { name: "With progress", format: "canonical", filters: { batches: [helpfulA, helpfulB] } };
    // Earlier tests add judgements to these batches: count what is there now.
    const judged = await db.judgement.findMany({ where: { comparison: { batchId: { in: [helpfulA, helpfulB] } } }, select: { comparisonId: true } });
    const comparisons = new Set(judged.map((j) => j.comparisonId)).size;
    const answer = await callRoute(datasetsRoute.POST, token, { method: "POST", body, headers: ndjson });
    expect(answer.status).toBe(200);
    const events = answer.text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as DatasetSaveEvent);
    const progress = events.filter((e) => e.type === "progress");
    expect(progress[0]).toEqual({ type: "progress", phase: "tokens", done: 0, total: comparisons });
    expect(progress.some((e) => e.phase === "tokens" && e.done === comparisons)).toBe(true);
    expect(progress.at(-1)).toEqual({ type: "progress", phase: "rows", done: judged.length, total: judged.length });
    const saved = events.at(-1)!;
    expect(saved.type === "saved" && saved.manifest.counts.rows).toBe(judged.length);
    if (saved.type === "saved") expect((await getDatasetManifest(researcher, saved.id)).files).toEqual(saved.manifest.files);

    const bad = await callRoute(datasetsRoute.POST, token, { method: "POST", body: { ...body, filters: { batches: ["missing"] } }, headers: ndjson });
    expect(bad.status).toBe(404);
    expect(bad.json).toEqual({ error: { code: "not_found", message: "No batch with id missing." } });
    const plain = await callRoute(datasetsRoute.POST, token, { method: "POST", body });
    expect(plain.status).toBe(201);
    expect((plain.json.manifest as DatasetManifest).counts.rows).toBe(judged.length);
  });

  it("is refused to annotators, and names a missing dataset", async () => {
    await expect(createDataset(annotators[0], { name: "x", format: "canonical" })).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === "forbidden",
    );
    await expect(getDatasetManifest(researcher, "missing")).rejects.toSatisfy((e) => e instanceof AppError && e.code === "not_found");
  });
});

// ---------------------------------------------------------------------------------------------------------
// Datasets that load in their tools without a script (issue 12).

/** The fields of FastChat's clean-battle file, in its order (fastchat/serve/monitor/clean_battle_data.py). */
const FASTCHAT_BATTLE_FIELDS = [
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
];
type Battle = { model_a: string; model_b: string; winner: string; language: string; conversation_a: { num_tokens: number }[] };

/**
 * FastChat's Bradley–Terry ratings (fastchat/serve/monitor/rating_systems.py compute_bt), re-implemented: battles
 * grouped into unique (model_a, model_b, outcome) with counts, the weighted logistic loss in base 10 minimised from
 * zero ratings, then scaled by 400 around 1000. Plain gradient descent stands in for their L-BFGS.
 */
function computeBt(battles: Battle[]): Map<string, number> {
  const models: string[] = [];
  const index = (m: string) => (models.includes(m) ? models.indexOf(m) : models.push(m) - 1);
  battles.forEach((b) => index(b.model_a));
  battles.forEach((b) => index(b.model_b));
  const schedule = new Map<string, number>();
  for (const b of battles) {
    const outcome = b.winner === "model_a" ? 2 : b.winner === "model_b" ? 0 : 1;
    const key = `${index(b.model_a)},${index(b.model_b)},${outcome}`;
    schedule.set(key, (schedule.get(key) ?? 0) + 1);
  }
  const rows = [...schedule].map(([key, weight]) => {
    const [a, b, outcome] = key.split(",").map(Number);
    return { a, b, outcome: outcome / 2, weight };
  });
  const alpha = Math.log(10);
  const ratings = new Array<number>(models.length).fill(0);
  for (let step = 0; step < 20_000; step++) {
    const grad = new Array<number>(models.length).fill(0);
    for (const { a, b, outcome, weight } of rows) {
      const p = 1 / (1 + Math.exp(-alpha * (ratings[a] - ratings[b])));
      const g = -alpha * (outcome - p) * weight;
      grad[a] += g;
      grad[b] -= g;
    }
    for (let i = 0; i < ratings.length; i++) ratings[i] -= 0.05 * grad[i];
  }
  return new Map(models.map((m, i) => [m, ratings[i] * 400 + 1000]));
}

describe("arena, as FastChat reads it", () => {
  it("downloads one JSON array of clean battles that their elo_analysis reads unchanged", async () => {
    const tagged = (prompt: string, language: string) =>
      JSON.stringify({
        prompt,
        tags: { language },
        responses: [
          { content: `${prompt} from v1`, model: { name: "acme", version: "v1" } },
          { content: `${prompt} from v2`, model: { name: "acme", version: "v2" } },
        ],
      });
    const arena = await batch("Arena", "helpfulness", 1, [tagged("A1?", "en"), tagged("A2?", "en"), tagged("A3?", "en-GB"), tagged("A4?", "zh")]);
    // acme@v1 wins three battles, acme@v2 one.
    for (const [prompt, winner] of [
      ["A1?", "v1"],
      ["A2?", "v1"],
      ["A3?", "v1"],
      ["A4?", "v2"],
    ]) {
      await judge(annotators[0], arena, prompt, { chosen: `${prompt} from ${winner}`, degree: "better" });
    }
    const answer = await callRoute(exportRoute.GET, await tokenFor(researcher), { params: { format: "arena" }, query: { batches: arena } });
    expect(answer.status).toBe(200);
    // pd.read_json(file) needs one JSON document: an array of records (what made FastChat fail on JSON Lines).
    expect(answer.text.startsWith("[\n{")).toBe(true);
    expect(answer.text.endsWith("}\n]\n")).toBe(true);
    const battles = JSON.parse(answer.text) as (Battle & Record<string, unknown>)[];
    expect(battles).toHaveLength(4);
    for (const battle of battles) {
      expect(Object.keys(battle)).toEqual(FASTCHAT_BATTLE_FIELDS);
      expect(battle).toMatchObject({ question_id: expect.any(String), judge: expect.stringMatching(/^ann_/), anony: true, turn: 1 });
      expect(["model_a", "model_b", "tie", "tie (bothbad)"]).toContain(battle.winner);
      for (const m of [...battle.conversation_a, ...(battle.conversation_b as { num_tokens: number }[])]) {
        expect(Object.keys(m)).toEqual(["role", "content", "num_tokens"]);
        expect(Number.isInteger(m.num_tokens)).toBe(true);
      }
      // turn = len(conversation_a) // 2, as FastChat computes it.
      expect(battle.turn).toBe(Math.floor(battle.conversation_a.length / 2));
    }
    // tstamp is a float in the file (Python's json writes FastChat's floats with a decimal point).
    expect(answer.text.match(/"tstamp":[0-9.]+/g)!.every((t) => t.includes("."))).toBe(true);
    // Their categories: "english" keeps x["language"] == "English".
    expect(battles.map((b) => b.language).sort()).toEqual(["Chinese", "English", "English", "English"]);
    expect(battles.filter((b) => b.language === "English")).toHaveLength(3);
    // Their Bradley–Terry: 3 wins to 1 puts acme@v1 400·log10(3) ≈ 190.8 points above acme@v2, whichever side it sat.
    const ratings = computeBt(battles);
    expect(ratings.get("acme@v1")! - ratings.get("acme@v2")!).toBeCloseTo(400 * Math.log10(3), 1);
    expect(ratings.get("acme@v1")! + ratings.get("acme@v2")!).toBeCloseTo(2000, 5);

    // The line-per-battle form stays available.
    const lines = (await exportText({ format: "arena-jsonl", batches: arena }))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual(battles);
  });
});

describe("row ids", () => {
  it("lead every training row back to its comparison and judgements; on by default where trainers ignore them", async () => {
    type Row = { comparison_id: string; judgement_ids: string[] };
    const rows = (await exportText({ format: "trl-reward", batches: helpfulA }))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Row);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      // An aggregated row names every judgement of its comparison, oldest first.
      const judgements = await db.judgement.findMany({
        where: { comparisonId: row.comparison_id },
        orderBy: { createdAt: "asc" },
        select: { id: true },
      });
      expect(row.judgement_ids).toEqual(judgements.map((j) => j.id));
    }
    for (const format of ["trl-dpo", "hh-rlhf"]) {
      const first = JSON.parse((await exportText({ format, batches: helpfulA, minDegree: "negligibly_better_or_unsure" })).split("\n")[0]) as Row;
      expect(first).toMatchObject({ comparison_id: expect.any(String), judgement_ids: expect.any(Array) });
    }
    // OpenAI's format stays exactly OpenAI's unless asked.
    const openai = JSON.parse((await exportText({ format: "openai-dpo", batches: helpfulA })).split("\n")[0]) as Record<string, unknown>;
    expect(Object.keys(openai)).toEqual(["input", "preferred_output", "non_preferred_output"]);
    const withIds = JSON.parse((await exportText({ format: "openai-dpo", batches: helpfulA, ids: "1" })).split("\n")[0]) as Record<string, unknown>;
    expect(Object.keys(withIds)).toEqual(["input", "preferred_output", "non_preferred_output", "comparison_id", "judgement_ids"]);
    // Canonical: one judgement per row by default.
    const canonical = (await exportText({ format: "canonical", batches: helpfulA }))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Row);
    expect(canonical.every((r) => r.judgement_ids.length === 1)).toBe(true);
  });
});

/** The JSON type of a value read with its number text kept: "1" is an int, "1.0" a float (as pyarrow reads them). */
function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (isLosslessNumber(value)) return /[.eE]/.test(value.value) ? "float64" : "int64";
  if (Array.isArray(value)) return "list";
  if (typeof value === "object") return "struct";
  return typeof value === "boolean" ? "bool" : typeof value;
}

/** Records the JSON type of every field of `row` by path, checking it against the declaration as it goes. */
function collectTypes(fields: Fields, row: unknown, prefix: string, seen: Map<string, Set<string>>) {
  const record = row as Record<string, unknown>;
  expect(Object.keys(record), `fields of ${prefix || "a row"}`).toEqual(fields.map(([name]) => name));
  for (const [name, feature] of fields) {
    const path = `${prefix}${name}`;
    const visit = (value: unknown, f: Feature, at: string) => {
      const type = jsonType(value);
      if (!seen.has(at)) seen.set(at, new Set());
      seen.get(at)!.add(type);
      if (type === "null") {
        expect(f.type !== "list" && f.nullable === true, `${at} is null but not declared nullable`).toBe(true);
        return;
      }
      expect(type, at).toBe(f.type);
      if (f.type === "list") (value as unknown[]).forEach((item) => visit(item, f.item, `${at}[]`));
      if (f.type === "struct") collectTypes(f.fields, value, `${at}.`, seen);
    };
    visit(record[name], feature, path);
  }
}

describe("stable types", () => {
  it("every field of every format has one JSON type in every file, whatever the batch's shape", async () => {
    // A third shape: tags (protocol and free-form), full sampling parameters, a system message, whole-number floats.
    const shaped = await batch("Shaped", "helpfulness", 1, [
      JSON.stringify({
        context: [
          { role: "system", content: "Be kind." },
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello" },
        ],
        prompt: "Z1?",
        tags: { language: "en", difficulty: 3, source: "forum", reviewed: true },
        responses: [
          { content: "Z1 a", model: { name: "zeta", version: "7b" }, sampling: { temperature: 1, top_p: 1, max_tokens: 256, seed: 7 } },
          { content: "Z1 b", model: { name: "zeta", version: "13b" }, sampling: { temperature: 0.7 } },
        ],
      }),
    ]);
    await judge(annotators[0], shaped, "Z1?", { chosen: "Z1 a", degree: "significantly_better" });
    // Three shapes: no safety labels and no tags (helpfulA), safety labels (safety), tags and sampling (shaped).
    const sources = [{ batches: helpfulA }, { batches: safety, includeUnsafeChosen: true }, { batches: shaped }];
    const variants: Record<string, unknown>[] = [
      { format: "canonical" },
      { format: "trl-reward", margin: "none" },
      { format: "trl-reward", margin: "small" },
      { format: "trl-reward", margin: "large" },
      { format: "trl-dpo" },
      { format: "openai-dpo", ids: "1" },
      { format: "hh-rlhf" },
      { format: "arena-jsonl" },
      { format: "arena" },
    ];
    for (const variant of variants) {
      const fields = exportFields(variant.format as ExportFormat, {
        margin: variant.margin as MarginMode | undefined,
        ids: variant.ids === "1" ? true : undefined,
      });
      const seen = new Map<string, Set<string>>();
      let rows = 0;
      for (const source of sources) {
        const text = await exportText({ ...variant, ...source, minDegree: "negligibly_better_or_unsure" });
        const parsed =
          variant.format === "arena"
            ? (parseLossless(text) as unknown[])
            : text
                .split("\n")
                .filter(Boolean)
                .map((line) => parseLossless(line));
        for (const row of parsed) collectTypes(fields, row, "", seen);
        rows += parsed.length;
      }
      expect(rows, JSON.stringify(variant)).toBeGreaterThan(3);
      for (const [path, types] of seen) {
        const kinds = [...types].filter((t) => t !== "null");
        expect(kinds.length, `${JSON.stringify(variant)} ${path}: ${[...types].join(", ")}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it("the dataset card declares the features", async () => {
    const { id } = await createDataset(researcher, { name: "Typed", format: "canonical", filters: { batches: [helpfulA] } });
    const card = (await untar(await readAll((await openDatasetDownload(researcher, id, { file: "bundle" })).bytes)))
      .get("README.md")!
      .toString("utf8");
    const front = card.split("\n---\n")[0];
    expect(front).toContain(
      "dataset_info:\n  features:\n  - name: schema\n    dtype: string\n  - name: comparison_id\n    dtype: string\n  - name: judgement_ids\n    sequence: string\n",
    );
    expect(front).toContain("  - name: responses\n    list:\n    - name: response_id\n      dtype: string\n");
    expect(front).toContain("    - name: is_safe\n      dtype: bool\n");
    expect(front).toContain("    - name: temperature\n        dtype: float64\n");
    expect(card).toContain("| `responses[].is_safe` | bool | yes |");
  });
});

/** Parquet values as JSON would carry them: INT64 columns come back from hyparquet as BigInt. */
function plain(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

describe("Parquet", () => {
  it("a bundle carries train and test as Parquet beside JSON Lines, with the same rows and types, byte-stable", async () => {
    const { id, manifest } = await createDataset(researcher, {
      name: "Helpful parquet",
      format: "trl-reward",
      filters: { batches: [helpfulA, helpfulB] },
      options: { margin: "small", salt: "fixed", testFraction: 0.5 },
      dataFiles: "both",
    });
    expect(manifest.files.map((f) => f.path)).toEqual(["data/train.parquet", "data/test.parquet", "data/train.jsonl", "data/test.jsonl"]);
    const bundle = await readAll((await openDatasetDownload(researcher, id, { file: "bundle" })).bytes);
    expect((await readAll((await openDatasetDownload(researcher, id, { file: "bundle" })).bytes)).equals(bundle)).toBe(true);
    const files = await untar(bundle);
    expect([...files.keys()]).toEqual(["README.md", "manifest.json", ...manifest.files.map((f) => f.path)]);
    for (const file of manifest.files) {
      expect(createHash("sha256").update(files.get(file.path)!).digest("hex")).toBe(file.sha256);
      expect(files.get(file.path)!.byteLength).toBe(file.bytes);
    }
    const card = files.get("README.md")!.toString("utf8");
    expect(card).toContain(
      "configs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train.parquet\n  - split: test\n    path: data/test.parquet\n- config_name: jsonl\n",
    );
    expect(card).toContain("dataset_info:\n- config_name: default\n  features:\n  - name: chosen\n    list:\n");
    expect(card).toContain("- config_name: jsonl\n  features:\n  - name: chosen\n");
    const fields = exportFields("trl-reward", { margin: "small", ids: true });
    let total = 0;
    for (const split of ["train", "test"]) {
      const buffer = files.get(`data/${split}.parquet`)!;
      const arrayBuffer = new Uint8Array(buffer).buffer;
      const jsonl = files
        .get(`data/${split}.jsonl`)!
        .toString("utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as unknown);
      expect(plain(await parquetReadObjects({ file: arrayBuffer }))).toEqual(jsonl);
      // The file's schema is the declared one: margin a double, lists of {role, content} structs, ids.
      expect(parquetMetadata(arrayBuffer).schema.map((e) => [e.name, e.type ?? null, e.repetition_type ?? null])).toEqual(
        parquetSchema(fields).map((e) => [e.name, e.type ?? null, e.repetition_type ?? null]),
      );
      total += jsonl.length;
    }
    expect(total).toBe(manifest.counts.rows);

    const only = await createDataset(researcher, { name: "Only parquet", format: "canonical", filters: { batches: [safety] }, dataFiles: "parquet" });
    expect(only.manifest.files.map((f) => f.path)).toEqual(["data/train.parquet", "data/test.parquet"]);
    const onlyFiles = await untar(await readAll((await openDatasetDownload(researcher, only.id, { file: "bundle" })).bytes));
    expect([...onlyFiles.keys()]).toEqual(["README.md", "manifest.json", "data/train.parquet", "data/test.parquet"]);
    expect(onlyFiles.get("README.md")!.toString("utf8")).not.toContain("jsonl");
    // Canonical, with nullable booleans, integers and floats nested in lists of structs: the same rows as JSON.
    const fromParquet: unknown[] = [];
    for (const split of ["train", "test"]) {
      fromParquet.push(...(plain(await parquetReadObjects({ file: new Uint8Array(onlyFiles.get(`data/${split}.parquet`)!).buffer })) as unknown[]));
    }
    const live = await exportOf({ format: "canonical", batches: safety });
    expect(sorted(fromParquet)).toEqual(sorted(live));
  });
});

describe("manifest and card tables", () => {
  it("list degrees and safety bins in the protocol's order, and refuse datasets of an older layout", async () => {
    const { id } = await createDataset(researcher, { name: "Ordered", format: "trl-reward", filters: { batches: [helpfulA, helpfulB] } });
    const manifest = await getDatasetManifest(researcher, id);
    expect(Object.keys(manifest.counts.per_degree)).toEqual([...DEGREES]);
    expect(Object.keys(manifest.counts.per_safety_bin)).toEqual([...SAFETY_BINS, "none"]);
    const files = await untar(await readAll((await openDatasetDownload(researcher, id, { file: "bundle" })).bytes));
    const card = files.get("README.md")!.toString("utf8");
    const at = DEGREES.map((d) => card.indexOf(`| ${DEGREE_LABELS[d]} |`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(Object.keys((JSON.parse(files.get("manifest.json")!.toString("utf8")) as DatasetManifest).counts.per_degree)).toEqual([...DEGREES]);

    const stored = await db.dataset.findUniqueOrThrow({ where: { id } });
    const { layout, ...older } = stored.manifest as Record<string, unknown>;
    expect(layout).toBe(2);
    await db.dataset.update({ where: { id }, data: { manifest: older as object } });
    await expect(openDatasetDownload(researcher, id, { file: "jsonl" })).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === "conflict" && /save its selection again/.test(e.message),
    );
  });
});

// Two promises of the API table in the README, through the route handlers as Next.js calls them.
describe("saved datasets over HTTP", () => {
  const request = (token: string, url: string, init: RequestInit = {}) =>
    new Request(`http://localhost${url}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(init.headers ?? {}) },
    });

  it("a download sends x-content-sha256: the manifest's digest, and the digest of the bytes sent", async () => {
    const token = await tokenFor(researcher);
    const { id, manifest } = await createDataset(researcher, { name: "Digest header", format: "trl-reward", filters: { batches: [helpfulA] } });
    const answer = await downloadRoute.GET(request(token, `/api/v1/datasets/${id}/download?file=jsonl`), { params: Promise.resolve({ id }) });
    expect(answer.status).toBe(200);
    const bytes = Buffer.from(await answer.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(0);
    expect(answer.headers.get("x-content-sha256")).toBe(manifest.download.sha256);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(manifest.download.sha256);
  });

  it("the save goes on if the client leaves after the first event", async () => {
    const token = await tokenFor(researcher);
    const name = `Left early ${randomUUID().slice(0, 8)}`;
    const body = JSON.stringify({ name, format: "canonical", filters: { batches: [helpfulA, helpfulB] } });
    // Hold the save before its last write (plain reads go on), so the client surely leaves while it is under way.
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query(`BEGIN; LOCK TABLE "Dataset" IN EXCLUSIVE MODE`);
      const answer = await datasetsRoute.POST(
        request(token, "/api/v1/datasets", { method: "POST", body, headers: { accept: "application/x-ndjson" } }),
        { params: Promise.resolve({}) },
      );
      expect(answer.status).toBe(200);
      const reader = answer.body!.getReader();
      const first = await reader.read();
      expect(first.done).toBe(false);
      expect(JSON.parse(new TextDecoder().decode(first.value).split("\n")[0])).toMatchObject({ type: "progress" });
      await reader.cancel(); // the page was closed
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await db.dataset.count({ where: { name } })).toBe(0); // not saved yet: held
      await holder.query("COMMIT");
    } finally {
      await holder.end();
    }
    // The dataset is saved all the same, with the rows a save that stayed would have.
    await expect.poll(() => db.dataset.count({ where: { name } }), { timeout: 20_000 }).toBe(1);
    const saved = await db.dataset.findFirstOrThrow({ where: { name } });
    const judgements = await db.judgement.count({ where: { comparison: { batchId: { in: [helpfulA, helpfulB] } } } });
    expect((await getDatasetManifest(researcher, saved.id)).counts.rows).toBe(judgements);
  });
});

// Downloads of saved datasets on real Postgres: the same bytes (sha256 of the single file and of the bundle, before
// and after) whatever happens after the save — a half-sampled next turn and the end of its dialogue, late
// judgements, renames, an annotator moving vendor, a correction (undo), a rotated session or pseudonym secret —
// and a download whose bytes came out different from the manifest's digest fails instead of completing.
import { createHash, randomUUID } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { reloadEnv } from "@/server/env";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/auth/permissions";
import { toActor } from "@/server/auth/actor";
import { createBatch } from "@/server/batches/create-batch";
import { updateBatch } from "@/server/batches/update-batch";
import { setBatchStatus } from "@/server/batches/set-batch-status";
import { setBatchModelVariants } from "@/server/batches/set-batch-model-variants";
import { importItems } from "@/server/imports/import-items";
import { renameVendor } from "@/server/vendors/rename-vendor";
import { updateUser } from "@/server/users/update-user";
import { updateModelVariant } from "@/server/model-variants/update-model-variant";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { submitJudgement } from "@/server/tasks/submit-judgement";
import { reviseJudgement } from "@/server/tasks/revise-judgement";
import { startDialogue, startNextTurn } from "@/server/dialogues/start-turn";
import { streamTurnResponses, type TurnEvent } from "@/server/dialogues/stream-turn-responses";
import { endDialogue } from "@/server/dialogues/end-dialogue";
import type { TurnPlan } from "@/server/dialogues/turn-plan";
import { prepareExport } from "@/server/exports/prepare-export";
import { createDataset, type SavedDataset } from "@/server/datasets/create-dataset";
import { openDatasetDownload } from "@/server/datasets/queries";
import * as downloadRoute from "@/app/api/v1/datasets/[id]/download/route";
import { chunks, closeBatch, makeUser, readAll } from "../fixtures";
import { makeVariant, withFakeModelServer } from "../generation-fixtures";
import { tokenFor } from "../api-call";

const server = withFakeModelServer();

let admin: Actor;
let researcher: Actor;
beforeAll(async () => {
  [admin, researcher] = await Promise.all([makeUser("admin"), makeUser("researcher")]);
});

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const tag = () => randomUUID().slice(0, 8);

async function download(datasetId: string, file: "jsonl" | "bundle"): Promise<Buffer> {
  return readAll((await openDatasetDownload(researcher, datasetId, { file })).bytes);
}

type Digests = { jsonl: string; bundle: string };

/** The sha256 of both downloads of a saved dataset; the single file's must be the manifest's. */
async function digestsOf(saved: SavedDataset): Promise<Digests> {
  const jsonl = sha256(await download(saved.id, "jsonl"));
  expect(jsonl).toBe(saved.manifest.download.sha256);
  return { jsonl, bundle: sha256(await download(saved.id, "bundle")) };
}

async function liveLines(input: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const prepared = await prepareExport(researcher, input);
  let text = "";
  for await (const lines of prepared.lineBatches()) text += lines.join("");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** An active imported batch whose two model variants are its own (so renaming them touches no other test). */
async function makeBatch(comparisons: number, overlap: number): Promise<{ batchId: string; models: string[] }> {
  const t = tag();
  const models = [`left-${t}`, `right-${t}`];
  const { id } = await createBatch(admin, { name: `Saved ${t}`, focus: "helpfulness", overlap, guidelines: "" });
  const lines = Array.from({ length: comparisons }, (_, i) =>
    JSON.stringify({
      prompt: `Prompt ${i} of ${t}: "quotes", a backslash \\ and ünïcode?`,
      responses: [
        { content: `First answer ${i}\n\`\`\`js\nconsole.log("${i}")\n\`\`\``, model: { name: models[0], version: "v1" } },
        { content: `Second answer ${i}`, model: { name: models[1], version: "v1" } },
      ],
    }),
  );
  expect((await importItems(admin, id, "pairwise", chunks(lines.join("\n")))).imported).toBe(comparisons);
  await setBatchStatus(admin, id, { status: "active" });
  return { batchId: id, models };
}

/** Judges a claimed task for the response `first` did not choose on that comparison: a split vote. */
async function judgeAgainst(annotator: Actor, task: { assignmentId: string; left: { id: string }; right: { id: string } }, first: Actor) {
  const { comparisonId } = await db.response.findUniqueOrThrow({ where: { id: task.left.id } });
  const { chosenResponseId } = await db.judgement.findFirstOrThrow({ where: { comparisonId, annotatorId: first.id } });
  const chosen = chosenResponseId === task.left.id ? "right" : "left";
  return submitJudgement(annotator, { assignmentId: task.assignmentId, chosen, degree: "better", idempotencyKey: randomUUID(), timeSpentMs: 800 });
}

/** Claims `annotator`'s next task of the batch and judges it (left, or the given side). */
async function judgeNext(annotator: Actor, batchId: string, chosen: "left" | "right" = "left", degree = "better") {
  const task = await claimNextTask(annotator, { batchId });
  if (!task) throw new Error("no task to judge");
  return submitJudgement(annotator, { assignmentId: task.assignmentId, chosen, degree, idempotencyKey: randomUUID(), timeSpentMs: 1500 });
}

async function collect(events: AsyncIterable<TurnEvent>): Promise<TurnEvent[]> {
  const all: TurnEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** Samples a written turn to the end (both columns) and judges it as its writer; returns the chosen response. */
async function sampleAndJudge(writer: Actor, comparisonId: string): Promise<string> {
  const events = await collect(await streamTurnResponses(writer, comparisonId));
  const ready = events.find((e): e is Extract<TurnEvent, { ready: true }> => "ready" in e);
  if (!ready) throw new Error(`turn ${comparisonId} did not get both responses: ${JSON.stringify(events.filter((e) => "error" in e))}`);
  const judged = await submitJudgement(writer, {
    assignmentId: ready.assignmentId,
    chosen: "left",
    degree: "better",
    idempotencyKey: randomUUID(),
    timeSpentMs: 900,
  });
  return judged.chosenResponseId;
}

describe("a saved dataset's downloads", () => {
  it("keep their bytes when the writer ends a dialogue whose next turn was half-sampled at the save", async () => {
    const variants = [await makeVariant(admin, server().url), await makeVariant(admin, server().url)];
    const { id: batchId } = await createBatch(admin, {
      name: `Written ${tag()}`,
      focus: "helpfulness",
      overlap: 1,
      guidelines: "",
      promptSource: "annotator_written",
      maxTurns: 3,
    });
    await setBatchModelVariants(admin, batchId, { modelVariantIds: variants.map((v) => v.id) });
    await setBatchStatus(admin, batchId, { status: "active" });
    const [writerA, writerB] = await Promise.all([makeUser("annotator"), makeUser("annotator")]);

    // B: turn 1 judged, turn 2 complete (both responses) before the save: its continuation belongs to the dataset.
    const b1 = await startDialogue(writerB, { batchId, prompt: "B, turn one" });
    const bChosen = await sampleAndJudge(writerB, b1.comparisonId);
    const b2 = await startNextTurn(writerB, b1.dialogueId, { prompt: "B, turn two" });
    await collect(await streamTurnResponses(writerB, b2.comparisonId));
    expect(await db.response.count({ where: { comparisonId: b2.comparisonId } })).toBe(2);

    // A: turn 1 judged, turn 2 started with only one of its responses stored (the other endpoint fails).
    const a1 = await startDialogue(writerA, { batchId, prompt: "A, turn one" });
    const aChosen = await sampleAndJudge(writerA, a1.comparisonId);
    const a2 = await startNextTurn(writerA, a1.dialogueId, { prompt: "A, turn two" });
    const plan = (await db.comparison.findUniqueOrThrow({ where: { id: a2.comparisonId } })).sourceMetadata as TurnPlan;
    server().fail(500, Infinity, variants.find((v) => v.id === plan.slots[0].modelVariantId)!.modelId!);
    await collect(await streamTurnResponses(writerA, a2.comparisonId));
    expect(await db.response.count({ where: { comparisonId: a2.comparisonId } })).toBe(1);
    expect((await db.comparison.findUniqueOrThrow({ where: { id: a1.comparisonId } })).continuedWithResponseId).toBe(aChosen);

    const saved = await createDataset(researcher, {
      name: `Dialogues ${tag()}`,
      format: "canonical",
      filters: { batches: [batchId] },
      options: { gzip: true },
    });
    const before = await digestsOf(saved);
    const lines = await liveLines({ format: "canonical", batches: batchId });
    expect(lines).toHaveLength(2);
    const saveLines = gunzipSync(await download(saved.id, "jsonl")).toString("utf8");
    const printed = new Map(
      saveLines
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { dialogue_id: string; continued_with_response_id: string | null })
        .map((r) => [r.dialogue_id, r.continued_with_response_id]),
    );
    // The save printed B's continuation (its next turn was complete) and not A's (its next turn could still vanish).
    expect(printed).toEqual(
      new Map([
        [b1.dialogueId, bChosen],
        [a1.dialogueId, null],
      ]),
    );

    // Both writers end their dialogues: A's half-sampled turn is deleted and its continuation cleared.
    await endDialogue(writerA, a1.dialogueId);
    await endDialogue(writerB, b1.dialogueId);
    expect(await db.comparison.findUnique({ where: { id: a2.comparisonId } })).toBeNull();
    expect((await db.comparison.findUniqueOrThrow({ where: { id: a1.comparisonId } })).continuedWithResponseId).toBeNull();
    expect(await digestsOf(saved)).toEqual(before);
    // A live export follows the database: A continued with nothing, B with its chosen response.
    const after = await liveLines({ format: "canonical", batches: batchId });
    expect(new Map(after.map((r) => [r.dialogue_id, r.continued_with_response_id]))).toEqual(
      new Map([
        [b1.dialogueId, bChosen],
        [a1.dialogueId, null],
      ]),
    );
    await closeBatch(admin, batchId);
  });

  it("keep their bytes when judgements arrive late on comparisons already in the dataset, an expired lease's included", async () => {
    const { batchId } = await makeBatch(2, 2);
    const [a1, a2, a3] = await Promise.all([makeUser("annotator"), makeUser("annotator"), makeUser("annotator")]);
    await judgeNext(a1, batchId, "left", "significantly_better");
    await judgeNext(a1, batchId, "left", "better");
    // a2 holds a lease on one of them at the save, and sends its judgement only after the lease ran out.
    const leased = (await claimNextTask(a2, { batchId }))!;
    const canonical = await createDataset(researcher, {
      name: `Late ${tag()}`,
      format: "canonical",
      filters: { batches: [batchId] },
      dataFiles: "both",
    });
    const majority = await createDataset(researcher, {
      name: `Late majority ${tag()}`,
      format: "trl-reward",
      filters: { batches: [batchId] },
      options: { gzip: true },
    });
    expect([canonical.manifest.counts.rows, majority.manifest.counts.rows]).toEqual([2, 2]);
    const before = [await digestsOf(canonical), await digestsOf(majority)];

    await db.assignment.update({ where: { id: leased.assignmentId }, data: { leaseExpiresAt: new Date(Date.now() - 60_000) } });
    // The other response: included, it would tie the majority and drop the row.
    const late = await judgeAgainst(a2, leased, a1);
    expect(late.assignmentId).toBe(leased.assignmentId);
    // …on a comparison the dataset holds (a1 judged both before the save).
    expect(await db.judgement.count({ where: { comparisonId: late.comparisonId, annotatorId: a1.id } })).toBe(1);
    await judgeAgainst(a3, (await claimNextTask(a3, { batchId }))!, a1);
    expect(await liveLines({ format: "canonical", batches: batchId })).toHaveLength(4);
    expect(await liveLines({ format: "trl-reward", batches: batchId })).toHaveLength(0);

    expect([await digestsOf(canonical), await digestsOf(majority)]).toEqual(before);
    await closeBatch(admin, batchId);
  });

  it("keep their bytes when the batch, the vendor and the model variants are renamed and an annotator moves vendor", async () => {
    const { batchId, models } = await makeBatch(2, 1);
    const [vendor, elsewhere] = [`Vendor ${tag()}`, `Elsewhere ${tag()}`];
    const [annotator] = await Promise.all([makeUser("annotator", vendor), makeUser("annotator", elsewhere)]);
    await judgeNext(annotator, batchId);
    const saved = await createDataset(researcher, {
      name: `Names ${tag()}`,
      format: "canonical",
      filters: { batches: [batchId], vendors: [vendor] },
    });
    expect(saved.manifest.counts.rows).toBe(1);
    const before = await digestsOf(saved);

    const vendorId = (await db.vendor.findUniqueOrThrow({ where: { name: vendor } })).id;
    await updateBatch(admin, batchId, { name: `Renamed ${tag()}` });
    await renameVendor(admin, vendorId, { name: `${vendor} Ltd` });
    for (const model of await db.modelVariant.findMany({ where: { name: { in: models } } }))
      await updateModelVariant(admin, model.id, { name: `${model.name}-renamed`, version: "v2" });
    await updateUser(admin, annotator.id, { vendor: elsewhere });
    // A judgement made after the move (as its next request sees the annotator) files under the new vendor.
    await judgeNext(toActor(await db.user.findUniqueOrThrow({ where: { id: annotator.id } })), batchId);

    const live = await liveLines({ format: "canonical", batches: batchId });
    expect(live.map((r) => [(r.batch as { name: string }).name.startsWith("Renamed"), r.vendor]).sort()).toEqual(
      [
        [true, `${vendor} Ltd`],
        [true, elsewhere],
      ].sort(),
    );
    expect(await digestsOf(saved)).toEqual(before);
    await closeBatch(admin, batchId);
  });

  it("keep their bytes when a judgement in them is corrected (undo) after the save", async () => {
    const { batchId } = await makeBatch(1, 1);
    const annotator = await makeUser("annotator");
    const judged = await judgeNext(annotator, batchId, "left", "slightly_better");
    const saved = await createDataset(researcher, {
      name: `Undo ${tag()}`,
      format: "trl-dpo",
      filters: { batches: [batchId], minDegree: "slightly_better" },
    });
    const before = await digestsOf(saved);
    await reviseJudgement(annotator, { judgementId: judged.id, chosen: "right", degree: "significantly_better", idempotencyKey: randomUUID() });
    expect((await liveLines({ format: "canonical", batches: batchId })).map((r) => r.degree)).toEqual(["significantly_better"]);
    expect(await digestsOf(saved)).toEqual(before);
    await closeBatch(admin, batchId);
  });

  it("keep their bytes when the session secret or the pseudonym secret changes; the key is never served", async () => {
    const { batchId } = await makeBatch(2, 1);
    const annotator = await makeUser("annotator");
    await judgeNext(annotator, batchId);
    await judgeNext(annotator, batchId);
    const environment = { NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET, PSEUDONYM_SECRET: process.env.PSEUDONYM_SECRET };
    const pseudonyms = async () => new Set((await liveLines({ format: "canonical", batches: batchId })).map((r) => r.annotator));
    try {
      // As `npm start` runs: a session secret and no pseudonym secret.
      delete process.env.PSEUDONYM_SECRET;
      process.env.NEXTAUTH_SECRET = "the-first-session-secret-0123456789";
      reloadEnv();
      const saved = await createDataset(researcher, {
        name: `Secrets ${tag()}`,
        format: "canonical",
        filters: { batches: [batchId] },
        dataFiles: "both",
      });
      const before = await digestsOf(saved);
      const livePseudonyms = await pseudonyms();
      expect(livePseudonyms.size).toBe(1);

      process.env.NEXTAUTH_SECRET = "a-rotated-session-secret-9876543210";
      reloadEnv();
      expect(await digestsOf(saved)).toEqual(before);
      // Pseudonyms do not derive from the session secret at all: live exports keep them too.
      expect(await pseudonyms()).toEqual(livePseudonyms);

      // An operator sets (or rotates) the pseudonym key: new exports use it, the saved dataset keeps its own.
      process.env.PSEUDONYM_SECRET = `an-operator-pseudonym-key-${tag()}`;
      reloadEnv();
      expect(await pseudonyms()).not.toEqual(livePseudonyms);
      expect(await digestsOf(saved)).toEqual(before);

      // The key is kept beside the dataset, never in what a download or the manifest carries.
      const stored = await db.dataset.findUniqueOrThrow({ where: { id: saved.id } });
      expect(stored.pseudonymSecret).toMatch(/^[0-9a-f]{64}$/);
      const served = Buffer.concat([await download(saved.id, "jsonl"), await download(saved.id, "bundle")]);
      expect(served.includes(stored.pseudonymSecret!)).toBe(false);
      expect(JSON.stringify(stored.manifest)).not.toContain(stored.pseudonymSecret!);
    } finally {
      for (const [name, value] of Object.entries(environment)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      reloadEnv();
      await closeBatch(admin, batchId);
    }
  });
});

/** Reads a download chunk by chunk until it ends or fails: what a client received, and the failure if any. */
async function received(bytes: AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; error: unknown }> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of bytes) parts.push(Buffer.from(chunk));
    return { bytes: Buffer.concat(parts), error: null };
  } catch (error) {
    return { bytes: Buffer.concat(parts), error };
  }
}

describe("a download that comes out different from its manifest", () => {
  it("fails before its last byte, for the single file, the bundle and over HTTP, and is audited", async () => {
    const { batchId } = await makeBatch(40, 1);
    const annotator = await makeUser("annotator");
    for (let i = 0; i < 40; i++) await judgeNext(annotator, batchId);
    const saved = await createDataset(researcher, {
      name: `Tampered ${tag()}`,
      format: "canonical",
      filters: { batches: [batchId] },
      dataFiles: "both",
    });
    const intact = await digestsOf(saved);

    // A stored response changed in place (responses are never edited: nothing a snapshot could keep covers it).
    const comparison = await db.comparison.findFirstOrThrow({ where: { batchId }, orderBy: { seq: "desc" } });
    const response = await db.response.findFirstOrThrow({ where: { comparisonId: comparison.id, slot: 1 } });
    await db.response.update({ where: { id: response.id }, data: { content: `${response.content}!` } });

    const single = await received((await openDatasetDownload(researcher, saved.id, { file: "jsonl" })).bytes);
    expect(single.error).toBeInstanceOf(AppError);
    expect((single.error as AppError).message).toMatch(/came out different from the file this dataset was saved with/);
    // One byte more than recorded: the stream stops at once, short of the recorded size, never complete.
    expect(single.bytes.byteLength).toBeLessThan(saved.manifest.download.bytes);
    const bundle = await received((await openDatasetDownload(researcher, saved.id, { file: "bundle" })).bytes);
    expect(bundle.error).toBeInstanceOf(AppError);
    expect(sha256(bundle.bytes)).not.toBe(intact.bundle);

    // Over HTTP: the headers (and the digest) went out, the body errors before its end.
    const answer = await downloadRoute.GET(
      new Request(`http://localhost/api/v1/datasets/${saved.id}/download?file=jsonl`, {
        headers: { authorization: `Bearer ${await tokenFor(researcher)}` },
      }),
      { params: Promise.resolve({ id: saved.id }) },
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-content-sha256")).toBe(saved.manifest.download.sha256);
    await expect(answer.text()).rejects.toThrow();

    const refusals = await db.auditEntry.findMany({
      where: { action: "dataset.download_refused", entityId: saved.id },
      orderBy: { createdAt: "asc" },
    });
    expect(refusals.map((r) => [r.actorId, (r.after as { file: string }).file])).toEqual([
      [researcher.id, "jsonl"],
      [researcher.id, "bundle"],
      [researcher.id, "jsonl"],
    ]);
    expect((refusals[0].after as { expected: { sha256: string } }).expected.sha256).toBe(saved.manifest.download.sha256);

    // Put back, the bytes are the saved ones again: the check refuses only what differs.
    await db.response.update({ where: { id: response.id }, data: { content: response.content } });
    expect(await digestsOf(saved)).toEqual(intact);

    // A corrupted digest in the stored manifest: the same bytes no longer match it, and the whole file never leaves.
    const manifest = (await db.dataset.findUniqueOrThrow({ where: { id: saved.id } })).manifest as { download: { sha256: string } };
    await db.dataset.update({
      where: { id: saved.id },
      data: { manifest: { ...manifest, download: { ...manifest.download, sha256: "0".repeat(64) } } },
    });
    const corrupted = await received((await openDatasetDownload(researcher, saved.id, { file: "jsonl" })).bytes);
    expect(corrupted.error).toBeInstanceOf(AppError);
    expect(corrupted.bytes.byteLength).toBeLessThan(saved.manifest.download.bytes);
    await closeBatch(admin, batchId);
  });
});

// Annotator-written dialogues on real Postgres, answered live by the fake OpenAI-compatible server: the pairing rule
// and provenance, both columns streamed and stored, the chosen response carried into the next turn's context, the
// batch's turn limit, failures that leave a turn unjudgeable until its retry succeeds, who may write, the safety
// tags, the activation rule of annotator-written batches, and claims that never hand out a dialogue being written.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/auth/permissions";
import { createBatch } from "@/server/batches/create-batch";
import { setBatchStatus } from "@/server/batches/set-batch-status";
import { setBatchModelVariants } from "@/server/batches/set-batch-model-variants";
import { importItems } from "@/server/imports/import-items";
import { updateModelVariant } from "@/server/model-variants/update-model-variant";
import { configureModelRetries } from "@/server/model-variants/model-client";
import type { ModelVariantView } from "@/server/model-variants/model-variant-view";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { submitJudgement } from "@/server/tasks/submit-judgement";
import { startDialogue, startNextTurn } from "@/server/dialogues/start-turn";
import { streamTurnResponses, type TurnEvent } from "@/server/dialogues/stream-turn-responses";
import { retrySide } from "@/server/dialogues/retry-side";
import { endDialogue } from "@/server/dialogues/end-dialogue";
import { getDialogue, getWritingDesk, listWritableBatches } from "@/server/dialogues/queries";
import type { TurnPlan } from "@/server/dialogues/turn-plan";
import { comparisonContentSha256, promptContentSha256 } from "@/lib/content-hash";
import type { Side } from "@/lib/protocol";
import { fakeReply, startFakeModelServer, type FakeModelServer, type RecordedRequest } from "../support/fake-model-server";
import { chunks, closeBatch, makeUser, pairwiseLine, readAll } from "./fixtures";
import { makeVariant } from "./generation-fixtures";
import { createDataset } from "@/server/datasets/create-dataset";
import { openDatasetDownload } from "@/server/datasets/queries";
import { prepareExport } from "@/server/exports/prepare-export";

let server: FakeModelServer;
beforeAll(async () => {
  server = await startFakeModelServer();
  configureModelRetries({ retries: 3, baseDelayMs: 5, maxDelayMs: 20 });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

async function expectAppError(promise: Promise<unknown>, code: string, message?: RegExp) {
  await expect(promise).rejects.toSatisfy(
    (error: unknown) => error instanceof AppError && error.code === code && (!message || message.test(error.message)),
  );
}

async function collect(events: AsyncIterable<TurnEvent>): Promise<TurnEvent[]> {
  const all: TurnEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

const ofSide = (events: TurnEvent[], side: Side) => events.filter((e) => "side" in e && e.side === side);
const deltas = (events: TurnEvent[], side: Side) => ofSide(events, side).flatMap((e) => ("delta" in e ? [e.delta] : []));
const doneOf = (events: TurnEvent[], side: Side) => ofSide(events, side).find((e): e is Extract<TurnEvent, { done: true }> => "done" in e);
const errorOf = (events: TurnEvent[], side: Side) => ofSide(events, side).find((e): e is Extract<TurnEvent, { error: string }> => "error" in e);
const readyOf = (events: TurnEvent[]) => events.find((e): e is Extract<TurnEvent, { ready: true }> => "ready" in e);

function chatRequests(): RecordedRequest[] {
  return server.requests.filter((r) => r.path === "/v1/chat/completions");
}

/** An active annotator-written batch sampling from the given variants. */
async function makeWrittenBatch(
  admin: Actor,
  variants: ModelVariantView[],
  extra: { focus?: "helpfulness" | "safety"; maxTurns?: number; overlap?: number; riskCategories?: string[]; attackVectors?: string[] } = {},
): Promise<string> {
  const { id } = await createBatch(admin, {
    name: `written ${randomUUID().slice(0, 8)}`,
    focus: extra.focus ?? "helpfulness",
    overlap: extra.overlap ?? 1,
    guidelines: "Write a prompt, choose the better answer.",
    promptSource: "annotator_written",
    maxTurns: extra.maxTurns ?? 3,
    riskCategories: extra.riskCategories,
    attackVectors: extra.attackVectors,
  });
  await setBatchModelVariants(admin, id, { modelVariantIds: variants.map((v) => v.id) });
  await setBatchStatus(admin, id, { status: "active" });
  return id;
}

async function planOf(comparisonId: string): Promise<TurnPlan> {
  const comparison = await db.comparison.findUniqueOrThrow({ where: { id: comparisonId } });
  return comparison.sourceMetadata as TurnPlan;
}

async function judge(writer: Actor, assignmentId: string, chosen: Side, extra: Record<string, unknown> = {}) {
  return submitJudgement(writer, { assignmentId, chosen, degree: "better", idempotencyKey: randomUUID(), timeSpentMs: 1200, ...extra });
}

/** Streams a turn to its end and returns its events, asserting both columns completed. */
async function sampleTurn(writer: Actor, comparisonId: string): Promise<{ events: TurnEvent[]; assignmentId: string }> {
  const events = await collect(await streamTurnResponses(writer, comparisonId));
  expect(errorOf(events, "left")).toBeUndefined();
  expect(errorOf(events, "right")).toBeUndefined();
  return { events, assignmentId: readyOf(events)!.assignmentId };
}

describe("annotator-written dialogues", () => {
  it("answers a written prompt with two different variants at temperatures inside their ranges, streamed, stored with provenance", async () => {
    const admin = await makeUser("admin");
    const writer = await makeUser("annotator");
    const variants = [
      await makeVariant(admin, server.url, { temperatureMin: 0.1, temperatureMax: 0.3, defaultSampling: { top_p: 0.9, max_tokens: 128 } }),
      await makeVariant(admin, server.url, { temperatureMin: 0.8, temperatureMax: 1.0 }),
      await makeVariant(admin, server.url, { defaultSampling: { temperature: 0.55 } }),
    ];
    const byId = new Map(variants.map((v) => [v.id, v]));
    const batchId = await makeWrittenBatch(admin, variants, { maxTurns: 1 });

    for (let i = 0; i < 6; i++) {
      const prompt = `Dialogue ${i}: tell me something about otters, in a few words please.`;
      const started = await startDialogue(writer, { batchId, prompt: `  ${prompt}\n` });
      expect(started).toMatchObject({ turnIndex: 0, maxTurns: 1, lastTurn: true });
      const before = await db.comparison.findUniqueOrThrow({ where: { id: started.comparisonId }, include: { responses: true, assignments: true } });
      expect(before).toMatchObject({
        dialogueId: started.dialogueId,
        turnIndex: 0,
        prompt,
        context: [],
        contentSha256: promptContentSha256([], prompt),
      });
      expect(before.responses).toHaveLength(0);
      expect(before.assignments).toHaveLength(0);

      const { events, assignmentId } = await sampleTurn(writer, started.comparisonId);
      const plan = await planOf(started.comparisonId);
      const comparison = await db.comparison.findUniqueOrThrow({
        where: { id: started.comparisonId },
        include: { responses: { orderBy: { slot: "asc" } } },
      });
      const [a, b] = comparison.responses;
      expect(a.modelVariantId).not.toBe(b.modelVariantId);
      expect(comparison.contentSha256).toBe(comparisonContentSha256([], prompt, [a.content, b.content]));

      for (const side of ["left", "right"] as const) {
        const slot = side === "left" ? plan.leftSlot : 1 - plan.leftSlot;
        const response = comparison.responses[slot];
        const variant = byId.get(response.modelVariantId)!;
        // Streamed piece by piece, then stored whole: the deltas add up to what was stored.
        expect(deltas(events, side).length).toBeGreaterThan(3);
        expect(deltas(events, side).join("")).toBe(response.content);
        expect(doneOf(events, side)).toEqual({ side, done: true, responseId: response.id, content: response.content });
        const sideEvents = ofSide(events, side);
        expect(sideEvents.at(-1)).toMatchObject({ done: true });
        // Provenance: the variant and sampling drawn with the turn, as sent to the endpoint.
        expect(response.modelVariantId).toBe(plan.slots[slot].modelVariantId);
        const sampling = response.sampling as { temperature: number; seed: number; top_p?: number; max_tokens?: number };
        if (variant.temperatureMin !== null) {
          expect(sampling.temperature).toBeGreaterThanOrEqual(variant.temperatureMin);
          expect(sampling.temperature).toBeLessThanOrEqual(variant.temperatureMax!);
        } else {
          expect(sampling.temperature).toBe(0.55);
        }
        expect(sampling).toEqual({ ...variant.defaultSampling, temperature: plan.slots[slot].temperature ?? 0.55, seed: plan.slots[slot].seed });
        expect(response.content).toBe(
          fakeReply({
            model: variant.modelId!,
            temperature: sampling.temperature,
            seed: sampling.seed,
            messages: [{ role: "user", content: prompt }],
          }),
        );
        expect(response).toMatchObject({
          finishReason: "stop",
          promptTokens: expect.any(Number),
          completionTokens: expect.any(Number),
          latencyMs: expect.any(Number),
        });
      }
      // The writer's assignment came with the pair, in the left/right order drawn with the turn, and is the last event.
      expect(events.at(-1)).toEqual({ ready: true, assignmentId });
      const assignment = await db.assignment.findUniqueOrThrow({ where: { id: assignmentId } });
      expect(assignment).toMatchObject({
        annotatorId: writer.id,
        comparisonId: started.comparisonId,
        status: "leased",
        leftResponseId: doneOf(events, "left")!.responseId,
        rightResponseId: doneOf(events, "right")!.responseId,
      });
      expect(chatRequests().filter((r) => r.body.messages?.at(-1)?.content === prompt)).toHaveLength(2);

      // Streaming again (a reload) replays what is stored, sampling nothing.
      const requests = chatRequests().length;
      const replay = await collect(await streamTurnResponses(writer, started.comparisonId));
      expect(replay).toHaveLength(3);
      expect(doneOf(replay, "left")).toEqual(doneOf(events, "left"));
      expect(readyOf(replay)).toEqual({ ready: true, assignmentId });
      expect(chatRequests()).toHaveLength(requests);

      await judge(writer, assignmentId, i % 2 === 0 ? "left" : "right");
      await expectAppError(startNextTurn(writer, started.dialogueId, { prompt: "more?" }), "conflict", /reached the 1 turn this batch allows/);
      expect(await endDialogue(writer, started.dialogueId)).toMatchObject({ dialogueId: started.dialogueId, turns: 1 });
    }
    await closeBatch(admin, batchId);
  });

  it("continues with the chosen response: turn 2's context is turn 1's context, prompt and chosen response; maxTurns caps the dialogue", async () => {
    const admin = await makeUser("admin");
    const writer = await makeUser("annotator");
    const variants = [await makeVariant(admin, server.url), await makeVariant(admin, server.url)];
    const batchId = await makeWrittenBatch(admin, variants, { maxTurns: 2 });

    const first = await startDialogue(writer, { batchId, prompt: "What is a good name for a cat?" });
    expect(first).toMatchObject({ turnIndex: 0, maxTurns: 2, lastTurn: false });
    await expectAppError(
      startDialogue(writer, { batchId, prompt: "Another one" }),
      "conflict",
      new RegExp(`open dialogue in this batch \\(${first.dialogueId}\\)`),
    );
    await expectAppError(startNextTurn(writer, first.dialogueId, { prompt: "too early" }), "conflict", /Judge turn 1 of this dialogue/);
    const turn1 = await sampleTurn(writer, first.comparisonId);
    await expectAppError(startNextTurn(writer, first.dialogueId, { prompt: "still too early" }), "conflict", /Judge turn 1/);
    const judgement = await judge(writer, turn1.assignmentId, "right");
    const chosen = await db.response.findUniqueOrThrow({ where: { id: judgement.chosenResponseId } });
    expect(chosen.id).toBe(doneOf(turn1.events, "right")!.responseId);

    const second = await startNextTurn(writer, first.dialogueId, { prompt: "And for a dog?" });
    expect(second).toMatchObject({ dialogueId: first.dialogueId, turnIndex: 1, maxTurns: 2, lastTurn: true });
    const turn0Row = await db.comparison.findUniqueOrThrow({ where: { id: first.comparisonId } });
    expect(turn0Row.continuedWithResponseId).toBe(chosen.id);
    const turn1Row = await db.comparison.findUniqueOrThrow({ where: { id: second.comparisonId } });
    const expectedContext = [
      { role: "user", content: "What is a good name for a cat?" },
      { role: "assistant", content: chosen.content },
    ];
    expect(turn1Row).toMatchObject({ dialogueId: first.dialogueId, batchId, turnIndex: 1, prompt: "And for a dog?", context: expectedContext });

    // The models are sent the whole dialogue: the chosen response as the assistant turn, then the new prompt.
    server.reset();
    const turn2 = await sampleTurn(writer, second.comparisonId);
    expect(chatRequests()).toHaveLength(2);
    for (const request of chatRequests()) expect(request.body.messages).toEqual([...expectedContext, { role: "user", content: "And for a dog?" }]);
    const stored = await db.response.findMany({ where: { comparisonId: second.comparisonId } });
    expect((await db.comparison.findUniqueOrThrow({ where: { id: second.comparisonId } })).contentSha256).toBe(
      comparisonContentSha256(expectedContext as never, "And for a dog?", [stored[0].content, stored[1].content]),
    );
    await judge(writer, turn2.assignmentId, "left");
    await expectAppError(startNextTurn(writer, first.dialogueId, { prompt: "A third?" }), "conflict", /reached the 2 turns this batch allows/);

    const view = await getDialogue(writer, first.dialogueId);
    expect(view.turns.map((t) => [t.turnIndex, t.judgement?.chosen, t.continuedWithResponseId])).toEqual([
      [0, "right", chosen.id],
      [1, "left", null],
    ]);
    const ended = await endDialogue(writer, first.dialogueId);
    expect(ended).toMatchObject({ dialogueId: first.dialogueId, turns: 2 });
    expect(await endDialogue(writer, first.dialogueId)).toEqual(ended); // idempotent
    expect((await db.dialogue.findUniqueOrThrow({ where: { id: first.dialogueId } })).endedAt).not.toBeNull();
    await expectAppError(startNextTurn(writer, first.dialogueId, { prompt: "after the end" }), "conflict", /has ended/);
    // A new dialogue may start once the last one ended.
    const next = await startDialogue(writer, { batchId, prompt: "A fresh start" });
    expect(next.dialogueId).not.toBe(first.dialogueId);
    await endDialogue(writer, next.dialogueId);
    await closeBatch(admin, batchId);
  });

  it("leaves a turn unjudgeable and without an assignment while a response failed, and retries only that side with the same draw", async () => {
    const admin = await makeUser("admin");
    const writer = await makeUser("annotator");
    const other = await makeUser("annotator");
    const variants = [
      await makeVariant(admin, server.url, { temperatureMin: 0.2, temperatureMax: 1.2 }),
      await makeVariant(admin, server.url, { temperatureMin: 0.2, temperatureMax: 1.2 }),
    ];
    const byId = new Map(variants.map((v) => [v.id, v]));
    const batchId = await makeWrittenBatch(admin, variants, { maxTurns: 2, overlap: 2 });
    const started = await startDialogue(writer, { batchId, prompt: "Explain tides to a child." });
    const plan = await planOf(started.comparisonId);
    const leftVariant = byId.get(plan.slots[plan.leftSlot].modelVariantId)!;
    server.fail(500, Infinity, leftVariant.modelId!);

    const events = await collect(await streamTurnResponses(writer, started.comparisonId));
    const failure = errorOf(events, "left")!;
    expect(failure.error).toMatch(/could not be sampled: .*500.*gave up after 4 attempts/);
    // Blind: the writer is never told which model failed.
    expect(failure.error).not.toContain(leftVariant.name);
    expect(failure.error).not.toContain(leftVariant.modelId!);
    expect(doneOf(events, "right")).toBeDefined();
    expect(readyOf(events)).toBeUndefined();
    expect(chatRequests().filter((r) => r.body.model === leftVariant.modelId && r.answer === 500)).toHaveLength(4);

    // Half-sampled: one response, no assignment, nothing anyone could claim or judge.
    const halfway = await db.comparison.findUniqueOrThrow({ where: { id: started.comparisonId }, include: { responses: true, assignments: true } });
    expect(halfway.responses).toHaveLength(1);
    expect(halfway.assignments).toHaveLength(0);
    expect(halfway.contentSha256).toBe(promptContentSha256([], "Explain tides to a child."));
    expect(await claimNextTask(other, { batchId })).toBeNull();
    expect(await claimNextTask(writer, { batchId })).toBeNull();
    expect((await getDialogue(writer, started.dialogueId)).turns[0]).toMatchObject({
      left: null,
      right: { id: doneOf(events, "right")!.responseId },
      assignmentId: null,
    });
    await expectAppError(startNextTurn(writer, started.dialogueId, { prompt: "next" }), "conflict", /Judge turn 1/);

    // The stored side is not sampled again; the failed one is, still failing while the endpoint is down.
    await expectAppError(retrySide(writer, started.comparisonId, { side: "right" }), "conflict", /already stored/);
    await expectAppError(retrySide(writer, started.comparisonId, { side: "middle" }), "invalid_input", /side/);
    const stillDown = await collect(await retrySide(writer, started.comparisonId, { side: "left" }));
    expect(errorOf(stillDown, "left")).toBeDefined();
    expect(ofSide(stillDown, "right")).toHaveLength(0);
    expect(await db.assignment.count({ where: { comparisonId: started.comparisonId } })).toBe(0);

    // A stream cut halfway: text had arrived, then the error; nothing of it is stored.
    server.reset();
    server.cut(1, leftVariant.modelId!);
    const cut = await collect(await retrySide(writer, started.comparisonId, { side: "left" }));
    expect(deltas(cut, "left").length).toBeGreaterThan(0);
    expect(errorOf(cut, "left")!.error).toMatch(/^The model stopped in the middle of this response: /);
    expect(await db.response.count({ where: { comparisonId: started.comparisonId } })).toBe(1);

    server.reset();
    const retried = await collect(await retrySide(writer, started.comparisonId, { side: "left" }));
    expect(deltas(retried, "left").length).toBeGreaterThan(0);
    const left = doneOf(retried, "left")!;
    const ready = readyOf(retried)!;
    expect(retried.at(-1)).toEqual(ready);
    expect(chatRequests()).toHaveLength(1);
    // Same variant, temperature and seed as drawn with the turn.
    const stored = await db.response.findUniqueOrThrow({ where: { id: left.responseId } });
    expect(stored.modelVariantId).toBe(leftVariant.id);
    expect(stored.sampling).toMatchObject({ temperature: plan.slots[plan.leftSlot].temperature, seed: plan.slots[plan.leftSlot].seed });
    expect(chatRequests()[0].body).toMatchObject({
      model: leftVariant.modelId,
      temperature: plan.slots[plan.leftSlot].temperature,
      seed: plan.slots[plan.leftSlot].seed,
    });
    const assignment = await db.assignment.findUniqueOrThrow({ where: { id: ready.assignmentId } });
    expect(assignment).toMatchObject({
      annotatorId: writer.id,
      leftResponseId: left.responseId,
      rightResponseId: doneOf(events, "right")!.responseId,
    });

    // While the dialogue is being written nobody else is handed its turns, even with overlap 2; after it ends, they are.
    await judge(writer, ready.assignmentId, "left");
    expect(await claimNextTask(other, { batchId })).toBeNull();
    await endDialogue(writer, started.dialogueId);
    const claimed = await claimNextTask(other, { batchId });
    expect(claimed).toMatchObject({ dialogueId: started.dialogueId, turnIndex: 0, prompt: "Explain tides to a child." });
    await closeBatch(admin, batchId);
  });

  it("stops sampling when the writer goes away mid-stream, and stores nothing of it", async () => {
    const admin = await makeUser("admin");
    const writer = await makeUser("annotator");
    const variants = [await makeVariant(admin, server.url), await makeVariant(admin, server.url)];
    const batchId = await makeWrittenBatch(admin, variants);
    const started = await startDialogue(writer, { batchId, prompt: "A slow answer, please." });
    server.delay(3_000, 2);
    const iterator = (await streamTurnResponses(writer, started.comparisonId))[Symbol.asyncIterator]();
    const pending = iterator.next();
    await expect.poll(() => chatRequests().length).toBe(2);
    await iterator.return!();
    expect(await pending).toEqual({ value: undefined, done: true });
    await expect.poll(() => chatRequests().map((r) => r.answer)).toEqual(["aborted", "aborted"]);
    expect(await db.response.count({ where: { comparisonId: started.comparisonId } })).toBe(0);
    // Coming back samples the turn afresh.
    server.reset();
    await sampleTurn(writer, started.comparisonId);
    await endDialogue(writer, started.dialogueId);
    await closeBatch(admin, batchId);
  });

  it("bounds each column by its variant's timeoutMs: a stall after the headers is retried, a stall mid-stream ends that column alone", async () => {
    const admin = await makeUser("admin");
    const writer = await makeUser("annotator");
    const variants = [await makeVariant(admin, server.url, { timeoutMs: 400 }), await makeVariant(admin, server.url, { timeoutMs: 400 })];
    const byId = new Map(variants.map((v) => [v.id, v]));
    const batchId = await makeWrittenBatch(admin, variants);
    const started = await startDialogue(writer, { batchId, prompt: "Tell me about stalls." });
    const plan = await planOf(started.comparisonId);
    const leftVariant = byId.get(plan.slots[plan.leftSlot].modelVariantId)!;
    const rightVariant = byId.get(plan.slots[1 - plan.leftSlot].modelVariantId)!;
    server.stallMidStream(1, leftVariant.modelId!);
    server.stall(1, rightVariant.modelId!);
    const begun = Date.now();
    const events = await collect(await streamTurnResponses(writer, started.comparisonId));
    expect(Date.now() - begun).toBeLessThan(2500);
    expect(deltas(events, "left").length).toBeGreaterThan(0);
    expect(errorOf(events, "left")!.error).toMatch(/^The model stopped in the middle of this response: timeout: .*no complete answer within 400 ms/);
    expect(doneOf(events, "right")).toBeDefined(); // its stall came before any text: retried, with the same draw
    const rightRequests = chatRequests().filter((r) => r.body.model === rightVariant.modelId);
    expect(rightRequests.map((r) => r.answer)).toEqual(["aborted", 200]);
    expect(rightRequests[1].body).toEqual(rightRequests[0].body);
    expect(await db.response.count({ where: { comparisonId: started.comparisonId } })).toBe(1);
    await closeBatch(admin, batchId);
  });

  it("stores nothing of a turn whose batch is closed while it streams", async () => {
    const admin = await makeUser("admin");
    const writer = await makeUser("annotator");
    const variants = [await makeVariant(admin, server.url), await makeVariant(admin, server.url)];
    const batchId = await makeWrittenBatch(admin, variants);
    const started = await startDialogue(writer, { batchId, prompt: "Answer slowly." });
    server.delay(500, 2);
    const stream = await streamTurnResponses(writer, started.comparisonId);
    const collected = collect(stream);
    await expect.poll(() => chatRequests().length).toBe(2);
    await closeBatch(admin, batchId);
    const events = await collected;
    for (const side of ["left", "right"] as const) expect(errorOf(events, side)!.error).toMatch(/closed/);
    expect(readyOf(events)).toBeUndefined();
    expect(await db.response.count({ where: { comparisonId: started.comparisonId } })).toBe(0);
  });

  it("ending a dialogue removes a last turn that never got both responses, and skips an unjudged complete one", async () => {
    const admin = await makeUser("admin");
    const writer = await makeUser("annotator");
    const variants = [await makeVariant(admin, server.url), await makeVariant(admin, server.url)];
    const batchId = await makeWrittenBatch(admin, variants, { maxTurns: 3 });

    const first = await startDialogue(writer, { batchId, prompt: "Turn one" });
    const turn1 = await sampleTurn(writer, first.comparisonId);
    const judged = await judge(writer, turn1.assignmentId, "left");
    // A dataset saved now holds turn one, not yet continued; the dialogue going on must not change its bytes.
    const researcher = await makeUser("researcher");
    const saved = await createDataset(researcher, { name: "mid-dialogue", format: "canonical", filters: { batches: [batchId] } });
    const savedBytes = await readAll((await openDatasetDownload(researcher, saved.id, { file: "jsonl" })).bytes);
    expect(JSON.parse(savedBytes.toString("utf8")).continued_with_response_id).toBeNull();
    const second = await startNextTurn(writer, first.dialogueId, { prompt: "Turn two" });
    expect((await db.comparison.findUniqueOrThrow({ where: { id: first.comparisonId } })).continuedWithResponseId).toBe(judged.chosenResponseId);
    expect((await readAll((await openDatasetDownload(researcher, saved.id, { file: "jsonl" })).bytes)).equals(savedBytes)).toBe(true);
    const live = await prepareExport(researcher, { format: "canonical", batches: batchId });
    const liveLines: string[] = [];
    for await (const lines of live.lineBatches()) liveLines.push(...lines);
    expect(liveLines.map((line) => JSON.parse(line).continued_with_response_id)).toEqual([judged.chosenResponseId]);
    const plan = await planOf(second.comparisonId);
    server.fail(500, Infinity, variants.find((v) => v.id === plan.slots[0].modelVariantId)!.modelId!);
    await collect(await streamTurnResponses(writer, second.comparisonId));
    expect(await db.response.count({ where: { comparisonId: second.comparisonId } })).toBe(1);

    expect(await endDialogue(writer, first.dialogueId)).toMatchObject({ turns: 1 });
    expect(await db.comparison.findUnique({ where: { id: second.comparisonId } })).toBeNull();
    expect(await db.response.count({ where: { comparisonId: second.comparisonId } })).toBe(0);
    // The dialogue did not go on after all.
    expect((await db.comparison.findUniqueOrThrow({ where: { id: first.comparisonId } })).continuedWithResponseId).toBeNull();
    await expectAppError(streamTurnResponses(writer, second.comparisonId), "not_found");

    server.reset();
    const other = await startDialogue(writer, { batchId, prompt: "Left unjudged" });
    const sampled = await sampleTurn(writer, other.comparisonId);
    await endDialogue(writer, other.dialogueId);
    expect(await db.assignment.findUniqueOrThrow({ where: { id: sampled.assignmentId } })).toMatchObject({ status: "skipped", skipReason: "other" });
    await expectAppError(judge(writer, sampled.assignmentId, "left"), "conflict", /skipped/);
    await closeBatch(admin, batchId);
  });

  it("lets annotators write, and only in their own dialogues: admins and researchers are refused", async () => {
    const admin = await makeUser("admin");
    const researcher = await makeUser("researcher");
    const writer = await makeUser("annotator");
    const stranger = await makeUser("annotator");
    const variants = [await makeVariant(admin, server.url), await makeVariant(admin, server.url)];
    const batchId = await makeWrittenBatch(admin, variants);

    for (const actor of [admin, researcher]) {
      await expectAppError(startDialogue(actor, { batchId, prompt: "Hello" }), "forbidden", /judgements\.submit/);
      await expectAppError(listWritableBatches(actor), "forbidden");
      await expectAppError(getWritingDesk(actor, batchId), "forbidden");
    }
    const started = await startDialogue(writer, { batchId, prompt: "Hello" });
    for (const actor of [admin, researcher]) {
      await expectAppError(streamTurnResponses(actor, started.comparisonId), "forbidden");
      await expectAppError(retrySide(actor, started.comparisonId, { side: "left" }), "forbidden");
      await expectAppError(startNextTurn(actor, started.dialogueId, { prompt: "Hi" }), "forbidden");
      await expectAppError(endDialogue(actor, started.dialogueId), "forbidden");
      await expectAppError(getDialogue(actor, started.dialogueId), "forbidden");
    }
    // Another annotator's dialogue does not exist for them.
    await expectAppError(streamTurnResponses(stranger, started.comparisonId), "not_found");
    await expectAppError(retrySide(stranger, started.comparisonId, { side: "left" }), "not_found");
    await expectAppError(startNextTurn(stranger, started.dialogueId, { prompt: "Hi" }), "not_found");
    await expectAppError(endDialogue(stranger, started.dialogueId), "not_found");
    await expectAppError(getDialogue(stranger, started.dialogueId), "not_found");
    await expectAppError(startDialogue(writer, { batchId, prompt: "   " }), "invalid_input", /prompt: must not be empty/);
    await expectAppError(startDialogue(writer, { batchId: "nope", prompt: "Hi" }), "not_found");
    expect(chatRequests()).toHaveLength(0);

    // The writer's page finds the batch and resumes the open dialogue.
    expect((await listWritableBatches(writer)).find((b) => b.id === batchId)).toMatchObject({ openDialogueId: started.dialogueId, maxTurns: 3 });
    const desk = await getWritingDesk(writer, batchId);
    expect(desk.dialogue).toMatchObject({
      id: started.dialogueId,
      turns: [{ comparisonId: started.comparisonId, left: null, right: null, assignmentId: null }],
    });
    expect((await getWritingDesk(stranger, batchId)).dialogue).toBeNull();
    await endDialogue(writer, started.dialogueId);
    await closeBatch(admin, batchId);
    await expectAppError(startDialogue(writer, { batchId, prompt: "Closed now" }), "batch_not_active");
    expect((await listWritableBatches(writer)).some((b) => b.id === batchId)).toBe(false);
  });

  it("requires a risk category and an attack vector from the batch's own lists in safety batches, and none in helpfulness ones", async () => {
    const admin = await makeUser("admin");
    const writer = await makeUser("annotator");
    const variants = [await makeVariant(admin, server.url), await makeVariant(admin, server.url)];
    const safetyBatch = await makeWrittenBatch(admin, variants, {
      focus: "safety",
      maxTurns: 2,
      riskCategories: ["unqualified_advice"],
      attackVectors: ["logic_manipulation", "other"],
    });
    const prompt = "My doctor is away; how much of my medicine can I take?";
    await expectAppError(
      startDialogue(writer, { batchId: safetyBatch, prompt }),
      "invalid_input",
      /riskCategory: is required.*attackVector: is required/,
    );
    await expectAppError(
      startDialogue(writer, { batchId: safetyBatch, prompt, riskCategory: "illicit_and_criminal_activities", attackVector: "logic_manipulation" }),
      "invalid_input",
      /riskCategory: must be one of this batch's risk categories: unqualified_advice/,
    );
    await expectAppError(
      startDialogue(writer, { batchId: safetyBatch, prompt, riskCategory: "unqualified_advice", attackVector: "non_english" }),
      "invalid_input",
      /attackVector: must be one of this batch's attack vectors/,
    );
    await expectAppError(
      startDialogue(writer, { batchId: safetyBatch, prompt, riskCategory: "astrology", attackVector: "other" }),
      "invalid_input",
      /riskCategory/,
    );
    const started = await startDialogue(writer, {
      batchId: safetyBatch,
      prompt,
      riskCategory: "unqualified_advice",
      attackVector: "logic_manipulation",
    });
    expect(await db.comparison.findUniqueOrThrow({ where: { id: started.comparisonId } })).toMatchObject({
      riskCategory: "unqualified_advice",
      attackVector: "logic_manipulation",
    });
    const { assignmentId } = await sampleTurn(writer, started.comparisonId);
    // Safety batches require both labels, as on any comparison.
    await expectAppError(judge(writer, assignmentId, "left"), "invalid_input", /safety/);
    await judge(writer, assignmentId, "left", { safety: { left: "safe", right: "unsafe" } });
    // The next turn keeps the previous turn's tags unless it names its own.
    const next = await startNextTurn(writer, started.dialogueId, { prompt: "Just roughly?", attackVector: "other" });
    expect(await db.comparison.findUniqueOrThrow({ where: { id: next.comparisonId } })).toMatchObject({
      riskCategory: "unqualified_advice",
      attackVector: "other",
    });
    await endDialogue(writer, started.dialogueId);

    const helpful = await makeWrittenBatch(admin, variants);
    await expectAppError(
      startDialogue(writer, { batchId: helpful, prompt: "Hi", riskCategory: "unqualified_advice" }),
      "invalid_input",
      /only prompts of safety batches/,
    );
    await closeBatch(admin, safetyBatch);
    await closeBatch(admin, helpful);
  });

  it("activates an annotator-written batch without comparisons once two active variants with an endpoint answer it; imported batches keep their rule", async () => {
    const admin = await makeUser("admin");
    const writer = await makeUser("annotator");
    const [a, b] = [await makeVariant(admin, server.url), await makeVariant(admin, server.url)];
    const { id } = await createBatch(admin, { name: "written, draft", focus: "helpfulness", promptSource: "annotator_written", maxTurns: 4 });
    await expectAppError(startDialogue(writer, { batchId: id, prompt: "Hi" }), "batch_not_active", /draft/);
    await expectAppError(
      setBatchStatus(admin, id, { status: "active" }),
      "conflict",
      /at least two active model variants with an endpoint \(it has 0\)/,
    );
    await setBatchModelVariants(admin, id, { modelVariantIds: [a.id, b.id] });
    await updateModelVariant(admin, b.id, { active: false });
    await expectAppError(setBatchStatus(admin, id, { status: "active" }), "conflict", /\(it has 1\)/);
    await updateModelVariant(admin, b.id, { active: true });
    expect(await setBatchStatus(admin, id, { status: "active" })).toEqual({ id, status: "active" });
    expect(await db.comparison.count({ where: { batchId: id } })).toBe(0);
    // Paused and resumed with a half-sampled turn in it: still the variants rule, not the responses rule.
    const started = await startDialogue(writer, { batchId: id, prompt: "Hi" });
    await setBatchStatus(admin, id, { status: "paused" });
    await expectAppError(streamTurnResponses(writer, started.comparisonId), "batch_not_active", /paused/);
    await setBatchStatus(admin, id, { status: "active" });
    await endDialogue(writer, started.dialogueId);
    await expectAppError(importItems(admin, id, "pairwise", chunks(pairwiseLine(1))), "conflict", /takes no imports/);
    await closeBatch(admin, id);

    // Imported batches: comparisons first, each with its two responses, as before.
    const imported = await createBatch(admin, { name: "imported, empty", focus: "helpfulness" });
    await expectAppError(setBatchStatus(admin, imported.id, { status: "active" }), "conflict", /Import comparisons before activating the batch/);
    await expectAppError(
      startDialogue(writer, { batchId: imported.id, prompt: "Hi" }),
      "conflict",
      /Annotators do not write the prompts of this batch/,
    );
  });
});

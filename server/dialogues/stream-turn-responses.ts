// Samples the two responses of a written turn live, both at once, as one stream of events for the writer's page:
// text deltas per column, then each response as it is stored, or the endpoint's error (the column offers a retry).
// A comparison becomes judgeable only when both responses are stored: the transaction that stores the second one
// also gives the writer their assignment (in the left/right order drawn with the turn), never before.
import { db } from "../db";
import { AppError } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { ModelCallError, streamChat, type ChatResult } from "../model-variants/model-client";
import type { DefaultSampling } from "../model-variants/schemas";
import type { ModelVariant } from "../generated/prisma/client";
import { createAsyncQueue } from "@/lib/async-queue";
import { comparisonContentSha256 } from "@/lib/content-hash";
import type { Message, Side } from "@/lib/protocol";
import { readTurnPlan, slotOfSide, type Slot, type TurnPlan } from "./turn-plan";

/** One line of the NDJSON stream. `side` is the screen column; `ready` carries the writer's assignment to judge. */
export type TurnEvent =
  | { side: Side; delta: string }
  | { side: Side; done: true; responseId: string; content: string }
  | { side: Side; error: string }
  | { ready: true; assignmentId: string };

export type TurnToSample = {
  id: string;
  writerId: string;
  context: Message[];
  prompt: string;
  plan: TurnPlan;
  batchStatus: string;
  dialogueEnded: boolean;
  stored: Map<number, { id: string; content: string }>;
  assignmentId: string | null;
};

const MAX_ERROR_CHARS = 500;

/**
 * The events of both columns: responses already stored (a reload) are sent whole at once, the missing ones are
 * sampled. Checks everything before returning, so a refused call is an ordinary error, not a broken stream.
 */
export async function streamTurnResponses(
  actor: Actor,
  comparisonId: string,
  options: { signal?: AbortSignal } = {},
): Promise<AsyncIterable<TurnEvent>> {
  requirePermission(actor, "judgements.submit");
  const turn = await loadTurnToSample(actor, comparisonId);
  if (turn.stored.size < 2) assertSampleable(turn);
  return sampleSides(turn, ["left", "right"], options.signal);
}

/** A turn of the caller's own dialogue, with what is stored of it so far. Anyone else's turn does not exist for them. */
export async function loadTurnToSample(actor: Actor, comparisonId: string): Promise<TurnToSample> {
  const comparison = await db.comparison.findUnique({
    where: { id: comparisonId },
    include: {
      dialogue: { select: { createdById: true, endedAt: true } },
      batch: { select: { status: true } },
      responses: { select: { id: true, slot: true, content: true } },
      assignments: { where: { annotatorId: actor.id }, select: { id: true } },
    },
  });
  if (!comparison || comparison.dialogue.createdById !== actor.id) throw new AppError("not_found", `No turn ${comparisonId} of a dialogue of yours.`);
  return {
    id: comparison.id,
    writerId: actor.id,
    context: comparison.context as Message[],
    prompt: comparison.prompt,
    plan: readTurnPlan(comparison.sourceMetadata, comparison.id),
    batchStatus: comparison.batch.status,
    dialogueEnded: comparison.dialogue.endedAt !== null,
    stored: new Map(comparison.responses.map((r) => [r.slot, { id: r.id, content: r.content }])),
    assignmentId: comparison.assignments[0]?.id ?? null,
  };
}

export function assertSampleable(turn: TurnToSample): void {
  if (turn.dialogueEnded) throw new AppError("conflict", "This dialogue has ended; nothing more is sampled for it.");
  if (turn.batchStatus !== "active")
    throw new AppError("batch_not_active", `This batch is ${turn.batchStatus}; responses are sampled only while it is active.`);
}

/** Samples the given columns concurrently into one event stream; the reader stopping (or `signal`) aborts the calls. */
export function sampleSides(turn: TurnToSample, sides: Side[], signal?: AbortSignal): AsyncIterable<TurnEvent> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (signal?.aborted) abort();
  else signal?.addEventListener("abort", abort, { once: true });
  const queue = createAsyncQueue<TurnEvent>(abort);
  let ready = false;
  const announce = (assignmentId: string | null) => {
    if (!assignmentId || ready) return;
    ready = true;
    queue.push({ ready: true, assignmentId });
  };

  const work = sides.map(async (side) => {
    const slot = slotOfSide(turn.plan, side);
    const stored = turn.stored.get(slot);
    if (stored) {
      queue.push({ side, done: true, responseId: stored.id, content: stored.content });
      return;
    }
    announce(await sampleSide(turn, side, slot, (event) => queue.push(event), controller.signal));
  });
  void Promise.all(work).then(() => {
    announce(turn.stored.size === 2 ? turn.assignmentId : null); // both were stored before: say which assignment judges them
    signal?.removeEventListener("abort", abort);
    queue.close();
  });
  return queue;
}

/** Streams one column and stores its response; returns the writer's assignment once the pair is complete. */
async function sampleSide(turn: TurnToSample, side: Side, slot: Slot, emit: (event: TurnEvent) => void, signal: AbortSignal): Promise<string | null> {
  const planned = turn.plan.slots[slot];
  let variant: ModelVariant | null = null;
  let started = false;
  try {
    variant = await db.modelVariant.findUnique({ where: { id: planned.modelVariantId } });
    if (!variant) throw new ModelCallError("the model variant of this column no longer exists");
    if (!variant.active) throw new ModelCallError("the model variant of this column was deactivated");
    const defaults = variant.defaultSampling as DefaultSampling;
    const messages: Message[] = [...turn.context, { role: "user", content: turn.prompt }];
    const stream = streamChat(
      variant,
      messages,
      { temperature: planned.temperature ?? defaults.temperature, top_p: defaults.top_p, max_tokens: defaults.max_tokens, seed: planned.seed },
      { signal },
    );
    for await (const delta of stream) {
      started = true;
      emit({ side, delta });
    }
    const result = await stream.result;
    if (result.content.trim() === "") throw new ModelCallError("the endpoint returned an empty response");
    const stored = await storeResponse(turn, slot, planned.modelVariantId, result);
    emit({ side, done: true, responseId: stored.responseId, content: stored.content });
    return stored.assignmentId;
  } catch (error) {
    if (signal.aborted) return null; // the writer left: nothing to tell, nothing stored
    const message = error instanceof Error ? error.message : String(error);
    console.error(`dialogue turn ${turn.id}, ${side} response: ${message}`);
    emit({ side, error: blindError(message, variant, started) });
    return null;
  }
}

/**
 * Stores one response (unless a concurrent stream of the same column stored it first: then that one stands and is
 * sent instead). When it completes the pair, the same transaction hashes the comparison and creates the writer's
 * assignment, so no reader ever sees a judgeable comparison with one response, nor a pair without its assignment.
 */
async function storeResponse(turn: TurnToSample, slot: Slot, modelVariantId: string, result: ChatResult) {
  return db.$transaction(async (tx) => {
    // The batch row (shared) orders us with a close: once it commits, nothing more is stored for the batch.
    const [locked] = await tx.$queryRaw<{ id: string; leaseSeconds: number; status: string }[]>`
      SELECT c.id, b."leaseSeconds", b.status FROM "Comparison" c JOIN "Batch" b ON b.id = c."batchId"
      WHERE c.id = ${turn.id} FOR UPDATE OF c FOR SHARE OF b`;
    if (!locked) throw new AppError("conflict", "This turn no longer exists: its dialogue was ended.");
    if (locked.status === "closed")
      throw new AppError("batch_not_active", "This batch was closed while the response was sampled; nothing more is stored for it.");
    const response =
      (await tx.response.findUnique({ where: { comparisonId_slot: { comparisonId: turn.id, slot } } })) ??
      (await tx.response.create({
        data: {
          comparisonId: turn.id,
          slot,
          content: result.content,
          modelVariantId,
          sampling: result.sent,
          promptTokens: result.promptTokens,
          completionTokens: result.completionTokens,
          latencyMs: result.latencyMs,
          finishReason: result.finishReason,
        },
      }));
    const stored = { responseId: response.id, content: response.content };
    const pair = await tx.response.findMany({ where: { comparisonId: turn.id }, orderBy: { slot: "asc" } });
    if (pair.length < 2) return { ...stored, assignmentId: null };
    const existing = await tx.assignment.findUnique({
      where: { comparisonId_annotatorId: { comparisonId: turn.id, annotatorId: turn.writerId } },
      select: { id: true },
    });
    if (existing) return { ...stored, assignmentId: existing.id };
    await tx.comparison.update({
      where: { id: turn.id },
      data: { contentSha256: comparisonContentSha256(turn.context, turn.prompt, [pair[0].content, pair[1].content]) },
    });
    const left = pair.find((r) => r.slot === turn.plan.leftSlot)!;
    const right = pair.find((r) => r.slot !== turn.plan.leftSlot)!;
    const assignment = await tx.assignment.create({
      data: {
        comparisonId: turn.id,
        annotatorId: turn.writerId,
        leftResponseId: left.id,
        rightResponseId: right.id,
        leaseExpiresAt: new Date(Date.now() + locked.leaseSeconds * 1000),
      },
    });
    return { ...stored, assignmentId: assignment.id };
  });
}

/** The writer judges blind: the error they see names no model (the full message goes to the server log). */
function blindError(message: string, variant: ModelVariant | null, midStream: boolean): string {
  let blind = message;
  if (variant) {
    const names = [variant.version ? `${variant.name} ${variant.version}` : "", variant.name, variant.modelId ?? ""];
    for (const name of names.filter((n) => n.length >= 2)) blind = blind.split(name).join("the model");
    blind = blind.replace(/^the model:\s*/, "");
  }
  const what = midStream ? "The model stopped in the middle of this response" : "This response could not be sampled";
  return `${what}: ${blind}`.slice(0, MAX_ERROR_CHARS);
}
